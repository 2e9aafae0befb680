import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import {
  ADVERSE_EVENT_KINDS,
  ADVERSE_EVENT_OUTCOMES,
  ADVERSE_EVENT_SEVERITIES,
  DISSOCIATION_STATES,
  GAIT_STATES,
  NAUSEA_STATES,
  REMS_FORM_STATUSES,
  SEXES,
  type AdverseEventOutcome,
  type AdverseEventSeverity,
  type RemsFormStatus,
  type Sex,
} from '#clinic';
import { IsTimestamp, OptionalNotNull } from '../http/dto.js';

type Dissociation = (typeof DISSOCIATION_STATES)[number];
type Nausea = (typeof NAUSEA_STATES)[number];
type Gait = (typeof GAIT_STATES)[number];

export class ObservationCheckDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'default now; up to 15 min back' })
  @OptionalNotNull()
  @IsTimestamp()
  checkedAt?: string;
  @ApiProperty({ enum: DISSOCIATION_STATES }) @IsIn(DISSOCIATION_STATES) dissociation!: Dissociation;
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, maximum: 24 }) @IsOptional() @IsInt() @Min(0) @Max(24) cadss6Total?:
    number | null;
  @ApiPropertyOptional({ enum: NAUSEA_STATES, nullable: true }) @IsOptional() @IsIn(NAUSEA_STATES) nausea?: Nausea | null;
  @ApiPropertyOptional({ type: Boolean, nullable: true }) @IsOptional() @IsBoolean() oriented?: boolean | null;
  @ApiPropertyOptional({ enum: GAIT_STATES, nullable: true }) @IsOptional() @IsIn(GAIT_STATES) gait?: Gait | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
}

export class ObservationCheckResultDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) checkedAt!: string;
  @ApiProperty({ enum: DISSOCIATION_STATES }) dissociation!: Dissociation;
}

export class AttestVitalsDto {
  @ApiProperty({ description: 'why the out-of-range vitals are acceptable' }) @IsString() @MinLength(3) @MaxLength(2000) reason!: string;
}

export class VitalsAttestationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'the reading attested (a later one needs a new attestation)' }) readingId!: string;
}

export class DischargeDto {
  @ApiProperty() @IsBoolean() alertAndOriented!: boolean;
  @ApiProperty() @IsBoolean() walksSteadily!: boolean;
  @ApiProperty() @IsBoolean() nauseaControlled!: boolean;
  @ApiProperty({ description: 'a responsible adult escort or transport home' }) @IsBoolean() escortConfirmed!: boolean;
  @ApiProperty({ description: 'told not to drive until the next day after sleep' }) @IsBoolean() drivingInstructionGiven!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) notes?: string | null;
  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    maximum: 600,
    description: 'esketamine REMS: minutes from the first device when the patient would have been ready without the 2-hour minimum',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600)
  remsReadyToLeaveMin?: number | null;
  @ApiPropertyOptional({ format: 'date-time' }) @OptionalNotNull() @IsTimestamp() occurredAt?: string;
}

class RemsPatientDto {
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
  @ApiProperty({ format: 'date' }) dateOfBirth!: string;
  @ApiProperty({ enum: SEXES }) sex!: Sex;
}

class RemsMedicationsDto {
  @ApiProperty() any!: boolean;
  @ApiProperty() count!: number;
  @ApiProperty({ type: [String], description: 'each current medication, "name (class)"' }) names!: string[];
  @ApiProperty({ type: [String], description: 'those of them that interact with esketamine' }) interacting!: string[];
}

class RemsProviderDto {
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
}

class RemsSettingDto {
  @ApiProperty() name!: string;
}

class RemsBloodPressureDto {
  @ApiProperty({ type: Number, nullable: true }) systolic!: number | null;
  @ApiProperty({ type: Number, nullable: true }) diastolic!: number | null;
  @ApiProperty({ format: 'date-time' }) measuredAt!: string;
}

class RemsBloodPressuresDto {
  @ApiProperty({ type: RemsBloodPressureDto, nullable: true }) beforeAdministration!: RemsBloodPressureDto | null;
  @ApiProperty({ type: RemsBloodPressureDto, nullable: true, description: 'the checkpoint 40 minutes after the first device' })
  at40Min!: RemsBloodPressureDto | null;
  @ApiProperty({ type: RemsBloodPressureDto, nullable: true }) beforeCompletion!: RemsBloodPressureDto | null;
}

class RemsAdverseEventDto {
  @ApiProperty({ enum: ADVERSE_EVENT_KINDS }) kind!: string;
  @ApiProperty({ enum: ADVERSE_EVENT_SEVERITIES }) severity!: AdverseEventSeverity;
  @ApiProperty({ format: 'date-time' }) onsetAt!: string;
  @ApiProperty() actionTaken!: string;
  @ApiProperty({ enum: ADVERSE_EVENT_OUTCOMES }) outcome!: AdverseEventOutcome;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;
  @ApiProperty() remsReportable!: boolean;
}

/** The Spravato REMS Patient Monitoring Form of a session (docs/clinical-rules.md section 4). */
export class RemsFormDto {
  @ApiProperty({ enum: REMS_FORM_STATUSES, description: 'draft before discharge; complete: as stored at discharge' })
  status!: RemsFormStatus;
  @ApiProperty({ type: RemsPatientDto }) patient!: RemsPatientDto;
  @ApiProperty({ description: 'no earlier treatment on this protocol' }) firstTreatment!: boolean;
  @ApiProperty() remsEnrolled!: boolean;
  @ApiProperty({ type: RemsMedicationsDto }) concomitantMedications!: RemsMedicationsDto;
  @ApiProperty({ type: RemsProviderDto, nullable: true, description: 'the session’s nurse, else its anesthesiologist' })
  monitoringProvider!: RemsProviderDto | null;
  @ApiProperty({ type: RemsSettingDto }) setting!: RemsSettingDto;
  @ApiProperty({ type: String, format: 'date', nullable: true }) treatmentDate!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'the dose given once dosing has ended; the order before' }) doseMg!:
    number | null;
  @ApiProperty({ type: String, nullable: true }) lotNumber!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'complete forms: minutes from the first device to discharge' }) durationMin!:
    number | null;
  @ApiProperty({ type: Number, nullable: true }) readyToLeaveMin!: number | null;
  @ApiProperty({ type: Boolean, nullable: true }) vitalsAcceptableBeforeAdministration!: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) vitalsAcceptableBeforeCompletion!: boolean | null;
  @ApiProperty({ type: RemsBloodPressuresDto }) bloodPressure!: RemsBloodPressuresDto;
  @ApiProperty() sedation!: boolean;
  @ApiProperty() dissociation!: boolean;
  @ApiProperty() respiratoryDepression!: boolean;
  @ApiProperty({ type: [RemsAdverseEventDto], description: 'by onset, each in its latest state' }) adverseEvents!: RemsAdverseEventDto[];
}
