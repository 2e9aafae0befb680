import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  CARE_STATUSES,
  CONTACT_PREFERENCES,
  DOSE_ROUTES,
  MEDICATION_CLASSES,
  SCREENING_CODES,
  SCREENING_SEVERITIES,
  SEXES,
  WEIGHT_BASES,
  WEIGHT_KG_RANGE,
  WEIGHT_UNITS,
  type CareStatus,
  type ContactPreference,
  type DoseRoute,
  type MedicationClass,
  type Sex,
  type WeightUnit,
} from '#clinic';
import { IsCalendarDate, IsTimestamp, OptionalNotNull, PageQuery, MaxDecimals } from '../http/dto.js';

const NAME = 200;
const NOTE = 2000;

export class EmergencyContactDto {
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(NAME) name?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(40) phone?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(100) relationship?: string | null;
}

class DemographicsDto {
  @ApiPropertyOptional({ enum: SEXES }) @OptionalNotNull() @IsIn(SEXES) sex?: Sex;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(40) phone?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsEmail({ require_tld: false }) @MaxLength(320) email?:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(500) address?: string | null;

  @ApiPropertyOptional({ type: EmergencyContactDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EmergencyContactDto)
  emergencyContact?: EmergencyContactDto | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 100, maximum: 250 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(1)
  @Min(100)
  @Max(250)
  heightCm?: number | null;

  @ApiPropertyOptional({ enum: CONTACT_PREFERENCES, description: 'how the patient wants appointment reminders (default none)' })
  @OptionalNotNull()
  @IsIn(CONTACT_PREFERENCES)
  contactPreference?: ContactPreference;

  @ApiPropertyOptional({ description: 'the patient agreed to be contacted with reminders (default false); nothing is sent without it' })
  @OptionalNotNull()
  @IsBoolean()
  contactConsent?: boolean;
}

export class CreatePatientDto extends DemographicsDto {
  @ApiProperty({ description: 'medical record number, unique within the clinic' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  mrn!: string;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(NAME) firstName!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(NAME) lastName!: string;

  @ApiProperty({
    format: 'date',
    example: '1980-04-12',
    description: 'not in the future; at least the minimum age of the clinic’s protocols (18)',
  })
  @IsCalendarDate()
  dateOfBirth!: string;

  @ApiProperty({ minimum: WEIGHT_KG_RANGE.min, maximum: WEIGHT_KG_RANGE.max, description: 'the first weight measurement, kg' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(2)
  @Min(WEIGHT_KG_RANGE.min)
  @Max(WEIGHT_KG_RANGE.max)
  weightKg!: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'when the weight was measured; default now' })
  @IsOptional()
  @IsTimestamp()
  weightMeasuredAt?: string;
}

export class UpdatePatientDto extends DemographicsDto {
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(64) mrn?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(NAME) firstName?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(NAME) lastName?: string;
  @ApiPropertyOptional({ format: 'date' }) @OptionalNotNull() @IsCalendarDate() dateOfBirth?: string;

  @ApiProperty({ minimum: 1, description: 'the version you read (required); 409 STALE_VERSION when it changed meanwhile' })
  @IsInt()
  @Min(1)
  version!: number;
}

export class SearchPatientsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'name, MRN or date of birth (YYYY-MM-DD); case and accents ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

export class CreateWeightDto {
  @ApiProperty({ description: `${WEIGHT_KG_RANGE.min}–${WEIGHT_KG_RANGE.max} kg once converted` })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(2)
  @Min(1)
  @Max(1000)
  value!: number;

  @ApiProperty({ enum: WEIGHT_UNITS }) @IsIn(WEIGHT_UNITS) unit!: WeightUnit;

  @ApiPropertyOptional({ format: 'date-time', description: 'default now' })
  @IsOptional()
  @IsTimestamp()
  measuredAt?: string;
}

export class WeightDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ minimum: WEIGHT_KG_RANGE.min, maximum: WEIGHT_KG_RANGE.max }) weightKg!: number;
  @ApiProperty() enteredValue!: number;
  @ApiProperty({ enum: WEIGHT_UNITS }) enteredUnit!: WeightUnit;
  @ApiProperty({ format: 'date-time' }) measuredAt!: string;
  @ApiProperty({ format: 'uuid' }) recordedBy!: string;
}

class EmergencyContactViewDto {
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) relationship!: string | null;
}

export class PatientDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() mrn!: string;
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
  @ApiProperty({ format: 'date' }) dateOfBirth!: string;
  @ApiProperty() ageYears!: number;
  @ApiProperty({ enum: SEXES }) sex!: Sex;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ type: EmergencyContactViewDto }) emergencyContact!: EmergencyContactViewDto;
  @ApiProperty({ type: Number, nullable: true }) heightCm!: number | null;
  @ApiProperty({ enum: CONTACT_PREFERENCES }) contactPreference!: ContactPreference;
  @ApiProperty() contactConsent!: boolean;
  @ApiProperty({ enum: CARE_STATUSES, description: 'discharged: treatment ended, no maintenance, no new bookings' })
  careStatus!: CareStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dischargedFromCareAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) dischargedFromCareReason!: string | null;
  @ApiProperty({ type: WeightDto, nullable: true }) latestWeight!: WeightDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty() version!: number;
}

export class PatientWarningDto {
  @ApiProperty({ enum: ['SAME_NAME_AND_BIRTH_DATE'], description: 'another patient of the clinic has the same names and birth date' })
  code!: 'SAME_NAME_AND_BIRTH_DATE';
  @ApiProperty() message!: string;
  @ApiProperty({ format: 'uuid', description: 'the other patient' }) patientId!: string;
  @ApiProperty({ description: 'the other patient’s MRN' }) mrn!: string;
}

/** A registration's answer: the record, and what the registering user should check (never a refusal). */
export class RegisteredPatientDto extends PatientDto {
  @ApiProperty({ type: [PatientWarningDto], description: 'empty when nothing calls for a check' })
  warnings!: PatientWarningDto[];
}

export class WeightPageDto {
  @ApiProperty({ type: [WeightDto] }) items!: WeightDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class PatientPageDto {
  @ApiProperty({ type: [PatientDto] }) items!: PatientDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ScreeningAnswerDto {
  @ApiProperty({ enum: SCREENING_CODES }) @IsIn(SCREENING_CODES) item!: string;
  @ApiProperty() @IsBoolean() present!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(NOTE) note?: string | null;
}

export class AllergyDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(NAME) substance!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(500) reaction?: string | null;
}

export class MedicationDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(NAME) name!: string;
  @ApiProperty({ enum: MEDICATION_CLASSES }) @IsIn(MEDICATION_CLASSES) drugClass!: MedicationClass;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(200) dose?: string | null;
}

export class RecordScreeningDto {
  @ApiPropertyOptional({ type: [ScreeningAnswerDto], description: 'answers given now; items not sent keep their answer' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(SCREENING_CODES.length)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ScreeningAnswerDto)
  answers?: ScreeningAnswerDto[];

  @ApiPropertyOptional({ type: [AllergyDto], description: 'the complete current list; omitted entries are marked removed' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AllergyDto)
  allergies?: AllergyDto[];

  @ApiPropertyOptional({ type: [MedicationDto], description: 'the complete current list; omitted entries are marked removed' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => MedicationDto)
  medications?: MedicationDto[];
}

export class AcknowledgeCautionsDto {
  @ApiProperty({ description: 'what was considered' }) @IsString() @MinLength(1) @MaxLength(NOTE) note!: string;
}

class ScreeningItemViewDto {
  @ApiProperty({ enum: SCREENING_CODES }) code!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ enum: SCREENING_SEVERITIES }) severity!: string;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null: not asked yet' }) present!: boolean | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) recordedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) recordedAt!: string | null;
}

class AcknowledgementViewDto {
  @ApiProperty({ format: 'uuid' }) acknowledgedBy!: string;
  @ApiProperty({ format: 'date-time' }) acknowledgedAt!: string;
  @ApiProperty({ type: [String], enum: SCREENING_CODES, description: 'the relative cautions acknowledged' }) items!: string[];
  @ApiProperty() note!: string;
}

class AllergyViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() substance!: string;
  @ApiProperty({ type: String, nullable: true }) reaction!: string | null;
  @ApiProperty({ format: 'uuid' }) recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

class MedicationViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: MEDICATION_CLASSES }) drugClass!: MedicationClass;
  @ApiProperty({ type: String, nullable: true }) dose!: string | null;
  @ApiProperty({ format: 'uuid' }) recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

export class ScreeningDto {
  @ApiProperty({ type: [ScreeningItemViewDto] }) items!: ScreeningItemViewDto[];
  @ApiProperty({ type: [String], enum: SCREENING_CODES }) absoluteContraindications!: string[];
  @ApiProperty({ type: [String], enum: SCREENING_CODES }) relativeCautions!: string[];
  @ApiProperty({ type: [String], enum: SCREENING_CODES, description: 'relative cautions an anesthesiologist has not acknowledged yet' })
  unacknowledgedCautions!: string[];
  @ApiProperty({ type: AcknowledgementViewDto, nullable: true }) lastAcknowledgement!: AcknowledgementViewDto | null;
  @ApiProperty({ type: [AllergyViewDto] }) allergies!: AllergyViewDto[];
  @ApiProperty({ type: [MedicationViewDto] }) medications!: MedicationViewDto[];
  @ApiProperty({ type: [String] }) interactingMedications!: string[];
}

export class DoseCalculationQuery {
  @ApiProperty({ description: 'protocol key, e.g. ketamine-iv-standard' }) @IsString() @MinLength(1) @MaxLength(100) protocol!: string;

  @ApiPropertyOptional({ description: 'weight-based protocols; default the protocol dose for the next session' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(3)
  @Min(0.01)
  @Max(5)
  mgPerKg?: number;

  @ApiPropertyOptional({ description: 'esketamine: 56 or 84' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  doseMg?: number;

  @ApiPropertyOptional({ description: 'mg/mL of the prepared solution, for mL/h and volume' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(3)
  @Min(0.01)
  @Max(100)
  concentrationMgPerMl?: number;

  @ApiPropertyOptional({ description: 'anesthesiologists: soft-stop codes to pass, comma-separated (DOSE_ABOVE_MAX,…)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  override?: string;
}

export class DoseCalculationDto {
  @ApiProperty() protocol!: string;
  @ApiProperty() protocolVersion!: number;
  @ApiProperty({ enum: DOSE_ROUTES }) route!: DoseRoute;
  @ApiProperty({ minimum: WEIGHT_KG_RANGE.min, maximum: WEIGHT_KG_RANGE.max }) weightKg!: number;
  @ApiProperty({ format: 'date-time' }) weightRecordedAt!: string;
  @ApiProperty({ enum: WEIGHT_BASES }) weightBasis!: (typeof WEIGHT_BASES)[number];
  @ApiProperty() sessionNumber!: number;
  @ApiProperty({ type: Number, nullable: true }) mgPerKg!: number | null;
  @ApiProperty({ description: 'exactly as ordered, never rounded' }) orderedDoseMg!: number;
  @ApiProperty({ description: 'delivered, to 0.1 mg' }) doseMg!: number;
  @ApiProperty({ type: Number, nullable: true }) durationMin!: number | null;
  @ApiProperty({ type: Number, nullable: true }) rateMgPerH!: number | null;
  @ApiProperty({ type: Number, nullable: true }) concentrationMgPerMl!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'to 0.1 mL/h' }) rateMlPerH!: number | null;
  @ApiProperty({ type: Number, nullable: true }) volumeMl!: number | null;
  @ApiProperty({ type: Number, nullable: true }) devices!: number | null;
  @ApiProperty({ type: Number, nullable: true }) deviceMg!: number | null;
  @ApiProperty({ type: [String], description: 'soft stops passed by the anesthesiologist' }) overridden!: string[];
}
