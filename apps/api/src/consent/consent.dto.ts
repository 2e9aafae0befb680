import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  CONSENT_FORM_STATUSES,
  CONSENT_KINDS,
  CONSENT_METHODS,
  CONSENT_STATUSES,
  type ConsentKind,
  type ConsentMethod,
  type ConsentStatus,
} from '#clinic';
import { IsTimestamp, OptionalNotNull, PageQuery } from '../http/dto.js';

export class CreateConsentFormDto {
  @ApiProperty({ enum: CONSENT_KINDS }) @IsIn(CONSENT_KINDS) kind!: ConsentKind;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(300) title!: string;
  @ApiProperty({ description: 'the full text the patient reads' }) @IsString() @MinLength(1) @MaxLength(200_000) body!: string;

  @ApiPropertyOptional({ type: [String], description: 'protocol keys that require it' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  requiredForProtocols?: string[];

  @ApiPropertyOptional({ default: 12, minimum: 1, maximum: 120, description: 'clinical-rules.md section 6: default 12 (CLINIC)' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(120)
  validMonths?: number;

  @ApiPropertyOptional({ default: false, description: 'publishing it supersedes every signature of an older version' })
  @OptionalNotNull()
  @IsBoolean()
  requiresReconsent?: boolean;

  @ApiPropertyOptional({ default: true, description: 'false keeps a draft that can still be edited' })
  @OptionalNotNull()
  @IsBoolean()
  publish?: boolean;
}

export class UpdateConsentFormDto {
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(300) title?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(200_000) body?: string;

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  requiredForProtocols?: string[];

  @ApiPropertyOptional() @OptionalNotNull() @IsInt() @Min(1) @Max(120) validMonths?: number;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() requiresReconsent?: boolean;

  @ApiProperty({ description: 'the revision you read; 409 STALE_VERSION when the draft was edited meanwhile' })
  @IsInt()
  @Min(1)
  revision!: number;
}

export class RetireConsentFormDto {
  @ApiProperty({ description: 'why no one signs this version any more' }) @IsString() @MinLength(3) @MaxLength(2000) reason!: string;
}

export class ConsentFormQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CONSENT_KINDS }) @IsOptional() @IsIn(CONSENT_KINDS) kind?: ConsentKind;
}

export class ConsentFormDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CONSENT_KINDS }) kind!: ConsentKind;
  @ApiProperty() version!: number;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ type: [String] }) requiredForProtocols!: string[];
  @ApiProperty() validMonths!: number;
  @ApiProperty() requiresReconsent!: boolean;
  @ApiProperty({ enum: CONSENT_FORM_STATUSES, description: 'retired: signed no more; its signatures keep their status' })
  status!: (typeof CONSENT_FORM_STATUSES)[number];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) publishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) retiredAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) retiredBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) retirementReason!: string | null;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'edits of this row (a draft’s): send it back with PATCH' }) revision!: number;
}

export class RecordConsentDto {
  @ApiProperty({ format: 'uuid', description: 'the exact published form version signed' }) @IsUUID() formId!: string;
  @ApiProperty({ format: 'date-time' }) @IsTimestamp() signedAt!: string;
  @ApiProperty({ description: 'the patient’s name as signed' }) @IsString() @MinLength(1) @MaxLength(200) signedByName!: string;
  @ApiProperty({ enum: CONSENT_METHODS }) @IsIn(CONSENT_METHODS) method!: ConsentMethod;

  @ApiPropertyOptional({ format: 'uuid', description: 'the witnessing staff member; default you' })
  @OptionalNotNull()
  @IsUUID()
  witnessUserId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'esketamine-rems-enrollment: the prescribing anesthesiologist, who signs too' })
  @OptionalNotNull()
  @IsUUID()
  prescriberUserId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'when the prescriber signed; default signedAt' })
  @OptionalNotNull()
  @IsTimestamp()
  prescriberSignedAt?: string;
}

export class WithdrawConsentDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
}

export class ConsentParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() consentId!: string;
}

export class ConsentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ format: 'uuid' }) formId!: string;
  @ApiProperty({ enum: CONSENT_KINDS }) kind!: ConsentKind;
  @ApiProperty() formVersion!: number;
  @ApiProperty({ enum: CONSENT_STATUSES, description: 'computed when asked' }) status!: ConsentStatus;
  @ApiProperty() signedByName!: string;
  @ApiProperty({ format: 'date-time' }) signedAt!: string;
  @ApiProperty({ enum: CONSENT_METHODS }) method!: ConsentMethod;
  @ApiProperty({ format: 'uuid' }) witnessUserId!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) prescriberUserId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) prescriberSignedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ format: 'uuid' }) recordedBy!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) withdrawnAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) withdrawnBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) withdrawalReason!: string | null;
}

export class ConsentFormPageDto {
  @ApiProperty({ type: [ConsentFormDto] }) items!: ConsentFormDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ConsentPageDto {
  @ApiProperty({ type: [ConsentDto] }) items!: ConsentDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
