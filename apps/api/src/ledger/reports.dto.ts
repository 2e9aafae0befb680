import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CS_SUBSTANCES, CS_UNITS, type CsSubstance, type CsUnit } from '#clinic';
import { OptionalNotNull } from '../http/dto.js';
import { LedgerDate } from './registry.dto.js';

const NullableText = (description?: string) => ApiProperty({ type: String, nullable: true, description });
const NullableNumber = () => ApiProperty({ type: Number, nullable: true });

/** What heads every report handed to an inspector. */
export class ReportHeadingDto {
  @ApiProperty() clinicName!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ description: 'how many years the clinic keeps these records (csRecordRetentionYears; 21 CFR 1304.04(a): at least 2)' })
  retentionYears!: number;
}

export class RangeReportDto extends ReportHeadingDto {
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ description: 'SHA-256 of the same report as CSV, recorded in the audit trail' }) sha256!: string;
}

export class OnHandReportQuery {
  @ApiPropertyOptional({ format: 'date', description: 'the clinic’s day whose end the stock is counted to (default: now)' })
  @OptionalNotNull()
  @LedgerDate()
  asOf?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'one registration (default: all of the clinic’s)' })
  @IsOptional()
  @IsUUID()
  registrationId?: string;
}

export class ReceiptReportRowDto {
  @ApiProperty({ format: 'date' }) receivedOn!: string;
  @ApiProperty({ description: 'the DEA number it was received under' }) registration!: string;
  @ApiProperty() product!: string;
  @ApiProperty() finishedForm!: string;
  @ApiProperty() unitsPerContainer!: string;
  @ApiProperty() ndc!: string;
  @ApiProperty() lot!: string;
  @ApiProperty({ format: 'date' }) expiresOn!: string;
  @ApiProperty() containersInvoiced!: number;
  @ApiProperty({ description: 'the blind count' }) containersReceived!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty({ enum: CS_UNITS }) unit!: CsUnit;
  @ApiProperty() mg!: number;
  @ApiProperty() supplierName!: string;
  @ApiProperty() supplierAddress!: string;
  @ApiProperty() supplierDeaNumber!: string;
  @ApiProperty() invoiceNumber!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) invoiceDate!: string | null;
  @ApiProperty() countedBy!: string;
  @ApiProperty({ description: 'the count differed from the invoice' }) discrepancy!: boolean;
}

export class ReceiptsReportDto extends RangeReportDto {
  @ApiProperty({ type: [ReceiptReportRowDto], description: 'stock received on the dates, oldest first' }) rows!: ReceiptReportRowDto[];
}

export class DiscrepancyReportRowDto {
  @ApiProperty({ description: 'the clinic’s local date and time' }) openedAt!: string;
  @ApiProperty() registration!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() product!: string;
  @ApiProperty() lot!: string;
  @ApiProperty({ description: 'the container (lot / number) or the receipt’s invoice' }) subject!: string;
  @ApiProperty() expected!: number;
  @ApiProperty() counted!: number;
  @ApiProperty() variance!: number;
  @ApiProperty() unit!: string;
  @ApiProperty() openedBy!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty() status!: string;
  @NullableText() resolvedAt!: string | null;
  @NullableText() resolvedBy!: string | null;
  @NullableText() resolution!: string | null;
  @ApiProperty() balanceCorrected!: boolean;
}

export class DiscrepanciesReportDto extends RangeReportDto {
  @ApiProperty({ type: [DiscrepancyReportRowDto], description: 'found on the dates, oldest first' }) rows!: DiscrepancyReportRowDto[];
}

export class LossReportRowDto {
  @ApiProperty() discoveredAt!: string;
  @ApiProperty() registration!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() narrative!: string;
  @NullableText() product!: string | null;
  @NullableText() ndc!: string | null;
  @NullableText() lot!: string | null;
  @NullableText() container!: string | null;
  @NullableNumber() quantity!: number | null;
  @NullableText() unit!: string | null;
  @NullableNumber() mg!: number | null;
  @ApiProperty() status!: string;
  @ApiProperty() noticeDueAt!: string;
  @NullableText() notifiedAt!: string | null;
  @NullableText() noticeReference!: string | null;
  @ApiProperty() form106DueAt!: string;
  @NullableText() form106FiledAt!: string | null;
  @NullableText() form106Number!: string | null;
  @ApiProperty() reportedBy!: string;
}

export class LossesReportDto extends RangeReportDto {
  @ApiProperty({ type: [LossReportRowDto], description: 'discovered on the dates, oldest first' }) rows!: LossReportRowDto[];
}

export class DisposalReportRowDto {
  @ApiProperty() date!: string;
  @ApiProperty() registration!: string;
  @ApiProperty({ description: 'destruction or transfer' }) kind!: string;
  @ApiProperty() product!: string;
  @ApiProperty() ndc!: string;
  @ApiProperty() deaCode!: number;
  @ApiProperty({ description: 'the batch' }) lot!: string;
  @ApiProperty() container!: string;
  @ApiProperty() finishedForm!: string;
  @ApiProperty() unitsPerContainer!: string;
  @ApiProperty() fullPackages!: number;
  @ApiProperty() partialQuantity!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty() unit!: string;
  @ApiProperty() mg!: number;
  @ApiProperty() reason!: string;
  @NullableText() method!: string | null;
  @NullableText() location!: string | null;
  @NullableText() distributorName!: string | null;
  @NullableText() distributorAddress!: string | null;
  @NullableText() distributorDeaNumber!: string | null;
  @NullableText() reference!: string | null;
  @ApiProperty() recordedBy!: string;
  @ApiProperty() witness1!: string;
  @ApiProperty() witness2!: string;
}

export class DisposalsReportDto extends RangeReportDto {
  @ApiProperty({ type: [DisposalReportRowDto], description: 'one per container destroyed or transferred on the dates' })
  rows!: DisposalReportRowDto[];
}

export class InventoryReportRowDto {
  @ApiProperty({ format: 'date' }) takenOn!: string;
  @ApiProperty() registration!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() timeOfDay!: string;
  @ApiProperty({ description: '"nothing on hand" for an inventory of nothing' }) product!: string;
  @ApiProperty() finishedForm!: string;
  @ApiProperty() unitsPerContainer!: string;
  @ApiProperty() ndc!: string;
  @ApiProperty() lot!: string;
  @ApiProperty() expiresOn!: string;
  @ApiProperty() container!: string;
  @ApiProperty() sealed!: boolean;
  @ApiProperty({ description: 'counted or estimated' }) method!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() unit!: string;
  @ApiProperty() mg!: number;
  @ApiProperty() expected!: number;
  @ApiProperty() variance!: number;
  @ApiProperty() discrepancy!: boolean;
  @ApiProperty() takenBy!: string;
  @ApiProperty() witness!: string;
}

export class InventoriesReportDto extends RangeReportDto {
  @ApiProperty({ type: [InventoryReportRowDto], description: 'every line of the inventories taken on the dates' })
  rows!: InventoryReportRowDto[];
}

export class OnHandReportRowDto {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() product!: string;
  @ApiProperty({ enum: CS_SUBSTANCES }) substance!: CsSubstance;
  @ApiProperty() finishedForm!: string;
  @ApiProperty() unitsPerContainer!: string;
  @ApiProperty() ndc!: string;
  @ApiProperty() lot!: string;
  @ApiProperty({ format: 'date' }) expiresOn!: string;
  @ApiProperty() expired!: boolean;
  @ApiProperty() containers!: number;
  @ApiProperty() sealed!: number;
  @ApiProperty() opened!: number;
  @ApiProperty() quarantined!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty({ enum: CS_UNITS }) unit!: CsUnit;
  @ApiProperty() mg!: number;
}

export class OnHandTotalsReportDto {
  @ApiProperty() ketamineMg!: number;
  @ApiProperty() esketamineDevices!: number;
}

export class OnHandInspectionDto extends ReportHeadingDto {
  @ApiProperty({ format: 'date' }) asOf!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) registrationId!: string | null;
  @ApiProperty({ type: [OnHandReportRowDto], description: 'by product, NDC, lot and expiry, summed from the ledger’s events' })
  rows!: OnHandReportRowDto[];
  @ApiProperty({ type: OnHandTotalsReportDto }) totals!: OnHandTotalsReportDto;
  @ApiProperty({ description: 'SHA-256 of the same report as CSV, recorded in the audit trail' }) sha256!: string;
}
