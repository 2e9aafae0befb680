import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  DEA_SCHEDULES,
  type DeaSchedule,
  PRODUCT_FORMS,
  type ProductForm,
  CONTAINER_KINDS,
  type ContainerKind,
  CS_SUBSTANCES,
  CS_UNITS,
  type CsUnit,
  type CsSubstance,
} from '#clinic';
import { IsCalendarDateBetween, MaxDecimals, OptionalNotNull } from '../http/dto.js';

const DEA_NUMBER = /^[A-Z][A-Z9]\d{7}$/;
export const DeaNumber = () => Matches(DEA_NUMBER, { message: '$property must be two capital letters then seven digits, e.g. AB1234563' });
/** Dates of the ledger: expiries, registrations, receipts. */
export const LedgerDate = () => IsCalendarDateBetween('2000-01-01', '2100-12-31');

export class CreateRegistrationDto {
  @ApiProperty({ example: 'AB1234563', description: 'checked against its check digit' }) @DeaNumber() deaNumber!: string;
  @ApiProperty({ description: 'the registrant as the certificate names it' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  registrantName!: string;
  @ApiProperty({ description: 'the registered location' }) @IsString() @MinLength(1) @MaxLength(1000) address!: string;

  @ApiProperty({ enum: DEA_SCHEDULES, isArray: true, description: 'ketamine and esketamine need 3N' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsIn(DEA_SCHEDULES, { each: true })
  schedules!: DeaSchedule[];

  @ApiProperty({ format: 'date', description: 'the last day it is valid' }) @LedgerDate() expiresOn!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  stateLicenseNumber?: string | null;
}

export class UpdateRegistrationDto {
  @ApiProperty({ description: 'the version read: 409 STALE_VERSION if it changed since' }) @IsInt() @Min(1) version!: number;
  @ApiPropertyOptional() @OptionalNotNull() @DeaNumber() deaNumber?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(300) registrantName?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(1000) address?: string;

  @ApiPropertyOptional({ enum: DEA_SCHEDULES, isArray: true })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsIn(DEA_SCHEDULES, { each: true })
  schedules?: DeaSchedule[];

  @ApiPropertyOptional({ format: 'date', description: 'a renewal' }) @OptionalNotNull() @LedgerDate() expiresOn?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  stateLicenseNumber?: string | null;
}

export class CreateProductDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(300) name!: string;
  @ApiProperty({ enum: CS_SUBSTANCES }) @IsIn(CS_SUBSTANCES) substance!: CsSubstance;
  @ApiPropertyOptional({ type: String, nullable: true, example: '50458-028-03', description: 'as printed, with its hyphens' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  ndc?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'ketamine: mg per mL (counted in mL)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(3)
  @Min(0.001)
  @Max(1000)
  strengthMgPerMl?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'esketamine: mg per device (counted in devices)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(3)
  @Min(0.001)
  @Max(1000)
  mgPerDevice?: number | null;

  @ApiProperty({ description: 'mL per vial, or devices per kit' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(3)
  @Min(0.001)
  @Max(10_000)
  unitsPerContainer!: number;

  @ApiProperty({ enum: CONTAINER_KINDS }) @IsIn(CONTAINER_KINDS) containerKind!: ContainerKind;
}

export class RegistrationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() deaNumber!: string;
  @ApiProperty() registrantName!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ enum: DEA_SCHEDULES, isArray: true }) schedules!: string[];
  @ApiProperty({ format: 'date' }) expiresOn!: string;
  @ApiProperty({ type: String, nullable: true }) stateLicenseNumber!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class RegistrationPageDto {
  @ApiProperty({ type: [RegistrationDto], description: 'in the order registered' }) items!: RegistrationDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ProductDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: "false: one of Vigil's own products" }) clinicOwned!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'null: a generic presentation; each receipt records its NDC' }) ndc!:
    string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CS_SUBSTANCES }) substance!: CsSubstance;
  @ApiProperty({ example: 7285 }) deaCode!: number;
  @ApiProperty({ example: '3N' }) schedule!: string;
  @ApiProperty({ enum: PRODUCT_FORMS }) form!: ProductForm;
  @ApiProperty({ type: Number, nullable: true }) strengthMgPerMl!: number | null;
  @ApiProperty({ description: 'mg in one unit (mL or device)' }) mgPerUnit!: number;
  @ApiProperty() unitsPerContainer!: number;
  @ApiProperty({ enum: CS_UNITS }) unit!: CsUnit;
  @ApiProperty({ enum: CONTAINER_KINDS }) containerKind!: ContainerKind;
}

export class ProductPageDto {
  @ApiProperty({ type: [ProductDto], description: "Vigil's, then the clinic's, in the order added" }) items!: ProductDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
