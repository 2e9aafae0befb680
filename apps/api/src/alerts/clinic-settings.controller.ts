import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ClinicSettingsService, type ClinicSettings } from '#clinic';
import { AnyRole, Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { OptionalNotNull } from '../http/dto.js';

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
  @AnyRole()
  @ApiOkResponse({ type: ClinicSettingsDto })
  async get(@CurrentActor() actor: Actor): Promise<ClinicSettingsDto> {
    return view(await this.settings.forClinic(actor.clinicId));
  }

  @Patch()
  @Roles('admin')
  @ApiOkResponse({ type: ClinicSettingsDto, description: 'audited with old and new values and the reason' })
  async edit(@CurrentActor() actor: Actor, @Body() b: EditClinicSettingsDto): Promise<ClinicSettingsDto> {
    return view(
      await this.settings.edit(
        actor,
        { escalation: b.escalation, appointmentTurnoverMin: b.appointmentTurnoverMin, openingHours: b.openingHours },
        b.reason,
      ),
    );
  }
}
