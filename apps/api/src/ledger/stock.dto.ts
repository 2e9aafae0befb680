import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import {
  CONTAINER_STATUSES,
  CS_EVENT_KINDS,
  type ContainerStatus,
  type CsEventKind,
  type ReceiptStatus,
  type CsQuantityUnit,
  CS_SUBSTANCES,
  CS_UNITS,
  RECEIPT_STATUSES,
  type CsUnit,
  CS_QUANTITY_UNITS,
  type CsSubstance,
} from '#clinic';
import { IsTimestamp, OptionalNotNull, PageQuery } from '../http/dto.js';
import { DeaNumber, LedgerDate } from './registry.dto.js';

export class CreateReceiptDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() registrationId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() productId!: string;
  @ApiProperty({ example: '50458-028-03', description: 'as printed on the packages, with its hyphens' })
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  ndc!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) lot!: string;
  @ApiProperty({ format: 'date' }) @LedgerDate() expiresOn!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(300) supplierName!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1000) supplierAddress!: string;
  @ApiProperty({ example: 'PA1234563', description: 'checked against its check digit' }) @DeaNumber() supplierDeaNumber!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) invoiceNumber!: string;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true }) @IsOptional() @LedgerDate() invoiceDate?: string | null;
  @ApiProperty({ description: 'from the invoice; withheld from the receiver until the blind count is in' })
  @IsInt()
  @Min(1)
  @Max(500)
  containersInvoiced!: number;
}

export class CountReceiptDto {
  @ApiProperty({ description: 'the containers the receiver counted, without seeing the invoice' })
  @IsInt()
  @Min(0)
  @Max(500)
  containersCounted!: number;
  @ApiPropertyOptional({ format: 'date', description: 'the day the stock actually arrived (default: the clinic’s today)' })
  @OptionalNotNull()
  @LedgerDate()
  receivedOn?: string;
}

export class ContainerQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CONTAINER_STATUSES, description: 'default: sealed, open and quarantined' })
  @IsOptional()
  @IsIn(CONTAINER_STATUSES)
  status?: ContainerStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() productId?: string;
}

export class OnHandQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'one registration (default: all of the clinic’s)' })
  @IsOptional()
  @IsUUID()
  registrationId?: string;
}

export class EventQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() containerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() sessionId?: string;
  @ApiPropertyOptional({ enum: CS_EVENT_KINDS }) @IsOptional() @IsIn(CS_EVENT_KINDS) kind?: CsEventKind;
  @ApiPropertyOptional({ format: 'date-time', description: 'occurred at or after' }) @IsOptional() @IsTimestamp() from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'occurred before' }) @IsOptional() @IsTimestamp() to?: string;
}

export class ReceiptDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) registrationId!: string;
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() ndc!: string;
  @ApiProperty() lot!: string;
  @ApiProperty({ format: 'date' }) expiresOn!: string;
  @ApiProperty() supplierName!: string;
  @ApiProperty() supplierAddress!: string;
  @ApiProperty() supplierDeaNumber!: string;
  @ApiProperty() invoiceNumber!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) invoiceDate!: string | null;
  @ApiProperty({ enum: RECEIPT_STATUSES }) status!: ReceiptStatus;
  @ApiProperty({ type: Number, nullable: true, description: 'null until the blind count is in' }) containersInvoiced!: number | null;
  @ApiProperty({ type: Number, nullable: true }) containersCounted!: number | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) receivedOn!: string | null;
  @ApiProperty({ format: 'uuid' }) enteredBy!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) countedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) countedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ReceiptPageDto {
  @ApiProperty({ type: [ReceiptDto], description: 'newest first' }) items!: ReceiptDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class StockedContainerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'L2304/1', description: 'lot / number within the receipt' }) label!: string;
}

export class CountedReceiptDto extends ReceiptDto {
  @ApiProperty({ type: [StockedContainerDto] }) containers!: StockedContainerDto[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'opened when the count differs from the invoice' })
  discrepancyId!: string | null;
}

export class ContainerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ format: 'uuid' }) registrationId!: string;
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() productName!: string;
  @ApiProperty({ enum: CS_UNITS }) unit!: CsUnit;
  @ApiProperty() ndc!: string;
  @ApiProperty() lot!: string;
  @ApiProperty({ format: 'date' }) expiresOn!: string;
  @ApiProperty({ description: 'past its expiry on the clinic’s today: kept until destroyed or returned, never given' }) expired!: boolean;
  @ApiProperty({ enum: CONTAINER_STATUSES }) status!: ContainerStatus;
  @ApiProperty({ type: String, nullable: true }) statusReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) openedAt!: string | null;
}

export class ContainerPageDto {
  @ApiProperty({ type: [ContainerDto], description: 'in the order received; no balances (counts are blind)' }) items!: ContainerDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class OnHandLineDto {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() productName!: string;
  @ApiProperty({ enum: CS_SUBSTANCES }) substance!: CsSubstance;
  @ApiProperty() ndc!: string;
  @ApiProperty() lot!: string;
  @ApiProperty({ format: 'date' }) expiresOn!: string;
  @ApiProperty() expired!: boolean;
  @ApiProperty({ enum: CS_UNITS }) unit!: CsUnit;
  @ApiProperty() containers!: number;
  @ApiProperty() sealed!: number;
  @ApiProperty() open!: number;
  @ApiProperty() quarantined!: number;
  @ApiProperty({ description: 'in the unit' }) quantity!: number;
  @ApiProperty() quantityMg!: number;
}

export class OnHandTotalsDto {
  @ApiProperty() ketamineMg!: number;
  @ApiProperty() esketamineDevices!: number;
}

export class OnHandReportDto {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) registrationId!: string | null;
  @ApiProperty({ type: [OnHandLineDto], description: 'one line per product, NDC, lot and expiry with stock on hand (a report: not paged)' })
  lines!: OnHandLineDto[];
  @ApiProperty({ type: OnHandTotalsDto }) totals!: OnHandTotalsDto;
}

export class LedgerEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) registrationId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) containerId!: string | null;
  @ApiProperty({ enum: CS_EVENT_KINDS }) kind!: CsEventKind;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ format: 'uuid' }) actorUserId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) witnessUserId!: string | null;
  @ApiProperty() quantity!: number;
  @ApiProperty({ enum: CS_QUANTITY_UNITS }) unit!: CsQuantityUnit;
  @ApiProperty({ type: Number, nullable: true }) quantityMg!: number | null;
  @ApiProperty({ description: 'how the container’s balance moved' }) delta!: number;
  @ApiProperty({ type: Number, nullable: true }) balanceAfter!: number | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) patientId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) sessionId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) receiptId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) correctsEventId!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) data!: Record<string, unknown> | null;
}

export class LedgerEventPageDto {
  @ApiProperty({ type: [LedgerEventDto], description: 'newest first' }) items!: LedgerEventDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class DispensingQuery {
  @ApiProperty({ format: 'date', description: 'the clinic’s first day' }) @LedgerDate() from!: string;
  @ApiProperty({ format: 'date', description: 'the clinic’s last day (included)' }) @LedgerDate() to!: string;
}

export class DispensingRowDto {
  @ApiProperty({ example: '2026-11-21 09:30', description: 'the clinic’s local date and time' }) date!: string;
  @ApiProperty() substance!: string;
  @ApiProperty({ example: 'injection, 50 mg/mL' }) finishedForm!: string;
  @ApiProperty({ example: '10 mL per vial' }) unitsPerContainer!: string;
  @ApiProperty() ndc!: string;
  @ApiProperty() lot!: string;
  @ApiProperty({ description: 'lot / number' }) container!: string;
  @ApiProperty({ description: 'the dose given (drawn until the end of dosing reconciles it)' }) quantityAdministered!: number;
  @ApiProperty({ enum: CS_UNITS }) unit!: CsUnit;
  @ApiProperty() mgAdministered!: number;
  @ApiProperty() drawn!: number;
  @ApiProperty() wasted!: number;
  @ApiProperty() reconciled!: boolean;
  @ApiProperty({ example: 'Souza, Ana' }) patientName!: string;
  @ApiProperty() patientAddress!: string;
  @ApiProperty() administeredBy!: string;
  @ApiProperty({ description: 'names, or "no waste"' }) wasteWitnesses!: string;
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
}

export class DispensingReportDto {
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ description: 'how many years the clinic keeps these records (csRecordRetentionYears; 21 CFR 1304.04(a): at least 2)' })
  retentionYears!: number;
  @ApiProperty({ type: [DispensingRowDto], description: 'oldest first (a report: not paged)' }) rows!: DispensingRowDto[];
  @ApiProperty({ description: 'SHA-256 of the same report as CSV, recorded in the audit trail' }) sha256!: string;
}
