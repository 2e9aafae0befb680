import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  CS_UNITS,
  type CsUnit,
  INVENTORY_KINDS,
  INVENTORY_METHODS,
  INVENTORY_TIMES,
  type InventoryKind,
  type InventoryMethod,
  type InventoryTime,
} from '#clinic';
import { IsTimestamp, MaxDecimals, OptionalNotNull, PageQuery } from '../http/dto.js';

export class InventoryLineDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() containerId!: string;
  @ApiProperty({ enum: CS_UNITS, description: 'the container’s unit, as a check' }) @IsIn(CS_UNITS) unit!: CsUnit;
  @ApiProperty({
    description:
      'what you counted (sealed containers, devices) or measured (an opened vial, an estimate), in the container’s unit; 0 when not found',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(3)
  @Min(0)
  @Max(10_000)
  quantity!: number;
}

export class TakeInventoryDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() registrationId!: string;
  @ApiProperty({ enum: INVENTORY_KINDS, description: 'the first of a registration is its initial inventory' })
  @IsIn(INVENTORY_KINDS)
  kind!: InventoryKind;
  @ApiProperty({ enum: INVENTORY_TIMES, description: 'taken at the opening or the close of business (21 CFR 1304.11(a))' })
  @IsIn(INVENTORY_TIMES)
  timeOfDay!: InventoryTime;
  @ApiProperty({
    type: [InventoryLineDto],
    description: 'every container of the registration in stock, once (GET /ledger/containers lists them)',
  })
  @IsArray()
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => InventoryLineDto)
  lines!: InventoryLineDto[];
  @ApiProperty({ format: 'uuid', description: 'a nurse or anesthesiologist present, other than you' }) @IsUUID() witnessUserId!: string;
  @ApiProperty({ description: 'the witness’s own password, re-entered' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  witnessPassword!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'when it was signed: up to 60 min ago; default now' })
  @OptionalNotNull()
  @IsTimestamp()
  occurredAt?: string;
  @ApiPropertyOptional({ description: 'why an ad hoc inventory was taken, or anything the inspector should know' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class InventoryQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() registrationId?: string;
}

export class SignerDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() name!: string;
}

export class InventoryLineViewDto {
  @ApiProperty({ format: 'uuid' }) containerId!: string;
  @ApiProperty({ description: 'lot / number' }) container!: string;
  @ApiProperty({ format: 'uuid', description: 'its count event' }) eventId!: string;
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() productName!: string;
  @ApiProperty() ndc!: string;
  @ApiProperty() lot!: string;
  @ApiProperty({ format: 'date' }) expiresOn!: string;
  @ApiProperty({ example: 'injection, 50 mg/mL' }) finishedForm!: string;
  @ApiProperty({ example: '10 mL per vial' }) unitsPerContainer!: string;
  @ApiProperty({ description: 'still sealed when inventoried' }) sealed!: boolean;
  @ApiProperty({ enum: INVENTORY_METHODS, description: 'counted exactly, or an estimated measure of an opened vial' })
  method!: InventoryMethod;
  @ApiProperty() quantity!: number;
  @ApiProperty({ enum: CS_UNITS }) unit!: CsUnit;
  @ApiProperty() mg!: number;
  @ApiProperty({ description: 'the ledger’s balance, shown once the inventory is recorded' }) expected!: number;
  @ApiProperty({ description: 'quantity − expected' }) variance!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) discrepancyId!: string | null;
}

export class InventoryProductLineDto {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() productName!: string;
  @ApiProperty() finishedForm!: string;
  @ApiProperty() unitsPerContainer!: string;
  @ApiProperty() sealedContainers!: number;
  @ApiProperty() openedContainers!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty({ enum: CS_UNITS }) unit!: CsUnit;
  @ApiProperty() mg!: number;
}

export class InventoryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) registrationId!: string;
  @ApiProperty({ enum: INVENTORY_KINDS }) kind!: InventoryKind;
  @ApiProperty({ format: 'date-time' }) takenAt!: string;
  @ApiProperty({ format: 'date', description: 'the clinic’s date' }) takenOn!: string;
  @ApiProperty({ enum: INVENTORY_TIMES }) timeOfDay!: InventoryTime;
  @ApiProperty({ type: SignerDto }) takenBy!: SignerDto;
  @ApiProperty({ type: SignerDto }) witness!: SignerDto;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: [InventoryLineViewDto], description: 'one per container (a report: not paged)' }) lines!: InventoryLineViewDto[];
  @ApiProperty({ type: [InventoryProductLineDto], description: 'per product: finished form, units per container, containers' })
  products!: InventoryProductLineDto[];
  @ApiProperty({ description: 'lines that opened a discrepancy' }) discrepancies!: number;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'initial or biennial: the last day of the next biennial inventory',
  })
  nextBiennialDueOn!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class InventoryPageDto {
  @ApiProperty({ type: [InventoryDto], description: 'newest first' }) items!: InventoryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
