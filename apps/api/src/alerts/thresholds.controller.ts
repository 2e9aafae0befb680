import { Body, Controller, Get, Param, Patch, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsObject, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ThresholdsService } from '#clinic';
import { AnyRole, Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { FieldChecks, type CheckedBody } from '../http/field-checks.js';
import { IdParam, OptionalNotNull } from '../http/dto.js';

export class ThresholdChangeDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'any subset of the threshold set, e.g. {"systolic":{"high":{"warning":170}}}',
  })
  @IsObject()
  thresholds!: Record<string, unknown>;

  @ApiProperty() @IsString() @MinLength(3) @MaxLength(2000) reason!: string;

  @ApiPropertyOptional({ description: 'patient overrides: the version you read' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version?: number;
}

class ProtocolThresholdsDto {
  @ApiProperty() protocol!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) overrides!: object;
  @ApiProperty({ type: 'object', additionalProperties: true }) effective!: object;
}

export class ThresholdsDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the clinic layer' }) clinic!: object;
  @ApiProperty({ type: [ProtocolThresholdsDto] }) protocols!: ProtocolThresholdsDto[];
}

class EffectiveDto {
  @ApiProperty() protocol!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) thresholds!: object;
}

export class PatientThresholdsDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) overrides!: object;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) updatedBy!: string | null;
  @ApiProperty({ type: [EffectiveDto] }) effective!: EffectiveDto[];
}

/** Threshold layers: patient over protocol over clinic (clinical-rules.md section 3); anesthesiologists edit them. */
@ApiTags('thresholds')
@ApiBearerAuth()
@Controller()
export class ThresholdsController {
  constructor(private readonly thresholds: ThresholdsService) {}

  @Get('thresholds')
  @AnyRole()
  @ApiOkResponse({ type: ThresholdsDto, description: 'the clinic layer and the effective set per protocol' })
  clinic(@CurrentActor() actor: Actor): Promise<ThresholdsDto> {
    return this.thresholds.clinicView(actor);
  }

  @Patch('thresholds')
  @Roles('anesthesiologist')
  @FieldChecks(ThresholdsService, (s, r: CheckedBody<ThresholdChangeDto>) => s.changeProblems(r.body.thresholds))
  @ApiOkResponse({ type: ThresholdsDto })
  editClinic(@CurrentActor() actor: Actor, @Body() b: ThresholdChangeDto): Promise<ThresholdsDto> {
    return this.thresholds.editClinic(actor, b.thresholds, b.reason);
  }

  @Get('patients/:id/thresholds')
  @Roles('nurse', 'anesthesiologist')
  @ApiOkResponse({ type: PatientThresholdsDto })
  patient(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<PatientThresholdsDto> {
    return this.thresholds.patientView(actor, p.id);
  }

  @Put('patients/:id/thresholds')
  @Roles('anesthesiologist')
  @FieldChecks(ThresholdsService, (s, r: CheckedBody<ThresholdChangeDto>) => s.changeProblems(r.body.thresholds))
  @ApiOkResponse({ type: PatientThresholdsDto, description: 'replaces the patient’s overrides ({} removes them)' })
  setPatient(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: ThresholdChangeDto): Promise<PatientThresholdsDto> {
    return this.thresholds.setPatient(actor, p.id, b.thresholds, b.reason, b.version);
  }
}
