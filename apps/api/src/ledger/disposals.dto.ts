import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { CS_UNITS, type CsUnit, DISPOSAL_KINDS, type DisposalKind } from '#clinic';
import { IsTimestamp, OptionalNotNull } from '../http/dto.js';
import { DeaNumber } from './registry.dto.js';

/** One employee who handled or observed the stock, signing with their own password (never stored, never logged). */
export class WitnessSignatureDto {
  @ApiProperty({ format: 'uuid', description: 'a nurse, anesthesiologist or administrator of the clinic, other than you' })
  @IsUUID()
  userId!: string;
  @ApiProperty({ description: 'their own password, re-entered' }) @IsString() @MinLength(1) @MaxLength(200) password!: string;
}

class DisposalDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'the containers closed out: all that is left in each goes' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  containerIds!: string[];
  @ApiProperty({ description: 'why the stock goes: expired, damaged, recalled…' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
  @ApiProperty({
    type: [WitnessSignatureDto],
    description: 'two employees other than you, each re-entering their own password (fewer: 422 CS_TWO_WITNESSES_REQUIRED)',
  })
  @IsArray()
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => WitnessSignatureDto)
  witnesses!: WitnessSignatureDto[];
  @ApiPropertyOptional({ format: 'date-time', description: 'when it was done: up to 60 min ago; default now' })
  @OptionalNotNull()
  @IsTimestamp()
  occurredAt?: string;
}

export class DestructionDto extends DisposalDto {
  @ApiProperty({ description: 'how the stock was made non-retrievable, e.g. "denaturing kit (activated charcoal)"' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  method!: string;
  @ApiProperty({ description: 'where it was destroyed' }) @IsString() @MinLength(3) @MaxLength(500) location!: string;
}

export class TransferDto extends DisposalDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(300) distributorName!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1000) distributorAddress!: string;
  @ApiProperty({ example: 'RB1234563', description: 'the reverse distributor’s DEA number, checked against its check digit' })
  @DeaNumber()
  distributorDeaNumber!: string;
  @ApiPropertyOptional({ description: 'their shipment or invoice number' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(200)
  reference?: string;
}

export class DisposalItemDto {
  @ApiProperty({ format: 'uuid' }) containerId!: string;
  @ApiProperty({ description: 'lot / number' }) container!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() productName!: string;
  @ApiProperty() ndc!: string;
  @ApiProperty({ example: 7285 }) deaCode!: number;
  @ApiProperty({ description: 'the batch' }) lot!: string;
  @ApiProperty({ example: 'injection, 50 mg/mL' }) finishedForm!: string;
  @ApiProperty({ example: '10 mL per vial' }) unitsPerContainer!: string;
  @ApiProperty({ description: '1 when the container was still sealed and full' }) fullPackages!: number;
  @ApiProperty({ description: 'what an opened container held, in its unit' }) partialQuantity!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty({ enum: CS_UNITS }) unit!: CsUnit;
  @ApiProperty() mg!: number;
}

export class DisposalWitnessDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() name!: string;
}

export class RegistrantDto {
  @ApiProperty() name!: string;
  @ApiProperty() deaNumber!: string;
  @ApiProperty() address!: string;
}

export class DisposalTotalsDto {
  @ApiProperty() ketamineMg!: number;
  @ApiProperty() esketamineDevices!: number;
}

export class DisposalViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) registrationId!: string;
  @ApiProperty({ enum: DISPOSAL_KINDS }) kind!: DisposalKind;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date', description: 'the clinic’s date of the destruction or handover' }) occurredOn!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true, description: 'a destruction’s method' }) method!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'a destruction’s location' }) location!: string | null;
  @ApiProperty({ type: String, nullable: true }) distributorName!: string | null;
  @ApiProperty({ type: String, nullable: true }) distributorAddress!: string | null;
  @ApiProperty({ type: String, nullable: true }) distributorDeaNumber!: string | null;
  @ApiProperty({ type: String, nullable: true }) reference!: string | null;
  @ApiProperty({ format: 'uuid' }) actorUserId!: string;
  @ApiProperty({ type: [DisposalWitnessDto] }) witnesses!: DisposalWitnessDto[];
  @ApiProperty({ type: RegistrantDto }) registrant!: RegistrantDto;
  @ApiProperty({ type: [DisposalItemDto], description: 'one line per container closed out (the lines of DEA Form 41)' })
  items!: DisposalItemDto[];
  @ApiProperty({ type: DisposalTotalsDto }) totals!: DisposalTotalsDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class DisposalPageDto {
  @ApiProperty({ type: [DisposalViewDto], description: 'newest first' }) items!: DisposalViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
