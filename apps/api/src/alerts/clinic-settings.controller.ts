import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ClinicSettingsService, type ClinicSettings } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { MaxDecimals, OptionalNotNull } from '../http/dto.js';

export class EscalationDto {
  @ApiProperty({
    description: 'minutes a critical alert may stay unacknowledged before the session’s anesthesiologist is told (default 2, CLINIC)',
  })
  @IsInt()
  @Min(1)
  @Max(60)
  sessionAnesthesiologistAfterMin!: number;

  @ApiProperty({ description: '…and every anesthesiologist of the clinic (default 5, CLINIC)' })
  @IsInt()
  @Min(1)
  @Max(120)
  allAnesthesiologistsAfterMin!: number;
}

export class EditClinicSettingsDto {
  @ApiPropertyOptional({ type: EscalationDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => EscalationDto)
  escalation?: EscalationDto;
  @ApiPropertyOptional({ description: 'minutes between appointments in a chair (default 15, CLINIC)' })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(120)
  appointmentTurnoverMin?: number;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'every weekday sun…sat: [["08:00", "18:00"]], [] when closed, in the clinic’s time zone',
  })
  @OptionalNotNull()
  @IsObject()
  openingHours?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'hours after every session for the check-in call (default 24, CLINIC)', minimum: 1, maximum: 168 })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(168)
  checkInCallAfterHours?: number;
  @ApiPropertyOptional({
    description: 'days to submit the REMS Patient Monitoring Form (default 7; the label allows no later)',
    minimum: 1,
    maximum: 7,
  })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(7)
  remsFormDueDays?: number;
  @ApiPropertyOptional({
    description: 'days after which an open REMS form task escalates (default 5; before remsFormDueDays)',
    minimum: 1,
    maximum: 6,
  })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(6)
  remsFormEscalateDays?: number;
  @ApiPropertyOptional({
    type: [Number],
    description: 'hours after the last induction session for each PHQ-9 (default 24, 168, 672), increasing',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2160, { each: true })
  phq9AfterInductionHours?: number[];
  @ApiPropertyOptional({
    description: 'days before a consent expires that its reminder task is due (default 30)',
    minimum: 1,
    maximum: 180,
  })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(180)
  consentExpiryReminderDays?: number;
  @ApiPropertyOptional({ description: 'hours before an appointment that the patient is reminded (default 24)', minimum: 1, maximum: 168 })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(168)
  appointmentReminderHours?: number;
  @ApiPropertyOptional({
    description: 'hours after a follow-up came due before it escalates to the administrators (default 24)',
    minimum: 1,
    maximum: 336,
  })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(336)
  followUpOverdueEscalationHours?: number;
  @ApiPropertyOptional({
    description: 'minutes after the first dose within which a score is the outcome baseline when none came before it (default 60, CLINIC)',
    minimum: 0,
    maximum: 1440,
  })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(1440)
  outcomeBaselineWindowMin?: number;
  @ApiPropertyOptional({
    description:
      'a delivered dose more than this % from the dose drawn up needs a reason at the end of dosing or its abort (default 5, CLINIC; at most the ±10 % of a compounded preparation)',
    minimum: 1,
    maximum: 10,
  })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(10)
  deliveredDoseTolerancePct?: number;
  @ApiPropertyOptional({
    description:
      'a monitor’s reading arriving more than this many minutes after it was measured is charted and judged but raises no alert (default 10, CLINIC)',
    minimum: 1,
    maximum: 120,
  })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(120)
  lateReadingPageAfterMin?: number;
  @ApiPropertyOptional({
    description: 'days the monitor feed’s raw message log is kept (default 30); the readings and the audit trail are kept regardless',
    minimum: 1,
    maximum: 3650,
  })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(3650)
  hl7LogRetentionDays?: number;
  @ApiPropertyOptional({
    description:
      'hours within which a controlled-substance discrepancy is resolved before it escalates (default 24, CLINIC; at most 24: an unexplained one may be a loss to report by the next business day)',
    minimum: 1,
    maximum: 24,
  })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(24)
  csDiscrepancyResolveHours?: number;
  @ApiPropertyOptional({
    description:
      'mL an estimated measure of an opened vial may differ from the ledger without opening a discrepancy (default 0, CLINIC; sealed containers and devices are always exact)',
    minimum: 0,
    maximum: 0.5,
  })
  @OptionalNotNull()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(2)
  @Min(0)
  @Max(0.5)
  csEstimateToleranceMl?: number;
  @ApiPropertyOptional({
    description: 'years controlled-substance records are kept (default 2, 21 CFR 1304.04(a); some states ask more, New York 5)',
    minimum: 2,
    maximum: 10,
  })
  @OptionalNotNull()
  @IsInt()
  @Min(2)
  @Max(10)
  csRecordRetentionYears?: number;

  @ApiProperty() @IsString() @MinLength(3) @MaxLength(2000) reason!: string;
}

export class ClinicSettingsDto {
  @ApiProperty({ type: EscalationDto }) escalation!: EscalationDto;
  @ApiProperty() appointmentTurnoverMin!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'weekday → [["HH:MM", "HH:MM"]] in the clinic’s zone' })
  openingHours!: object;
  @ApiProperty({ description: 'section 7: check-in call after every session (CLINIC: 24)' }) checkInCallAfterHours!: number;
  @ApiProperty({ description: 'REMS Patient Monitoring Form due (LABEL: 7)' }) remsFormDueDays!: number;
  @ApiProperty({ description: 'REMS form escalated while open (5)' }) remsFormEscalateDays!: number;
  @ApiProperty({ type: [Number], description: 'PHQ-9 after the last induction session (24, 168, 672)' }) phq9AfterInductionHours!: number[];
  @ApiProperty({ description: 'consent expiry reminder, days before (section 7: 30)' }) consentExpiryReminderDays!: number;
  @ApiProperty({ description: 'patient appointment reminder, hours before (24)' }) appointmentReminderHours!: number;
  @ApiProperty({ description: 'an open follow-up escalates this many hours after it came due (24)' })
  followUpOverdueEscalationHours!: number;
  @ApiProperty({ description: 'minutes after the first dose a score may still be the outcome baseline (60)' })
  outcomeBaselineWindowMin!: number;
  @ApiProperty({ description: 'section 8: % from the order beyond which a delivered dose needs a reason (5)' })
  deliveredDoseTolerancePct!: number;
  @ApiProperty({ description: 'a monitor’s reading arriving later than this (minutes) pages nobody (10)' })
  lateReadingPageAfterMin!: number;
  @ApiProperty({ description: 'days the monitor feed’s raw message log is kept (30)' })
  hl7LogRetentionDays!: number;
  @ApiProperty({ description: 'hours to resolve a controlled-substance discrepancy (24)' }) csDiscrepancyResolveHours!: number;
  @ApiProperty({ description: 'mL an estimated measure of an opened vial may differ without a discrepancy (0)' })
  csEstimateToleranceMl!: number;
  @ApiProperty({ description: 'years controlled-substance records are kept (REG: 2)' }) csRecordRetentionYears!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the clinic threshold layer (edited at /thresholds)' })
  thresholds!: object;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) sources!: Record<string, string>;
  @ApiProperty({ description: 'false while the clinic uses Vigil’s defaults' }) clinicEdited!: boolean;
}

const view = (s: ClinicSettings): ClinicSettingsDto => ({
  escalation: s.escalation,
  appointmentTurnoverMin: s.appointmentTurnoverMin,
  openingHours: s.openingHours,
  checkInCallAfterHours: s.checkInCallAfterHours,
  remsFormDueDays: s.remsFormDueDays,
  remsFormEscalateDays: s.remsFormEscalateDays,
  phq9AfterInductionHours: s.phq9AfterInductionHours,
  consentExpiryReminderDays: s.consentExpiryReminderDays,
  appointmentReminderHours: s.appointmentReminderHours,
  followUpOverdueEscalationHours: s.followUpOverdueEscalationHours,
  outcomeBaselineWindowMin: s.outcomeBaselineWindowMin,
  deliveredDoseTolerancePct: s.deliveredDoseTolerancePct,
  lateReadingPageAfterMin: s.lateReadingPageAfterMin,
  hl7LogRetentionDays: s.hl7LogRetentionDays,
  csDiscrepancyResolveHours: s.csDiscrepancyResolveHours,
  csEstimateToleranceMl: s.csEstimateToleranceMl,
  csRecordRetentionYears: s.csRecordRetentionYears,
  thresholds: s.thresholds,
  sources: s.sources,
  clinicEdited: s.clinicId !== null,
});

@ApiTags('clinic settings')
@ApiBearerAuth()
@Controller('clinic-settings')
export class ClinicSettingsController {
  constructor(private readonly settings: ClinicSettingsService) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: ClinicSettingsDto })
  async get(@CurrentActor() actor: Actor): Promise<ClinicSettingsDto> {
    return view(await this.settings.forClinic(actor.clinicId));
  }

  @Patch()
  @Roles('admin')
  @ApiOkResponse({ type: ClinicSettingsDto, description: 'audited with old and new values and the reason' })
  async edit(@CurrentActor() actor: Actor, @Body() b: EditClinicSettingsDto): Promise<ClinicSettingsDto> {
    const { reason, ...changes } = b;
    return view(await this.settings.edit(actor, changes, reason));
  }
}
