import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ClinicSettingsService, mergeThresholds, ProtocolsService, type ProtocolChanges, type ProtocolVersion } from '#clinic';
import type { ThresholdSet } from '#clinic';
import { AnyRole, Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { FieldChecks, type CheckedBody } from '../http/field-checks.js';
import { PageQuery } from '../http/dto.js';
import { EditProtocolDto, ProtocolDto, ProtocolKeyParam, ProtocolPageDto } from './protocols.dto.js';

const view = (p: ProtocolVersion, clinicThresholds: ThresholdSet): ProtocolDto => ({
  id: p.id,
  key: p.key,
  version: p.version,
  clinicEdited: p.clinicId !== null,
  name: p.name,
  route: p.route,
  doseRule: p.doseRule,
  doseLimits: p.doseLimits,
  durationMin: p.durationMin,
  minObservationMin: p.minObservationMin,
  observationFloorMin: p.observationFloorMin,
  observationFrom: p.observationFrom,
  minAgeYears: p.minAgeYears,
  weightMaxAgeDays: p.weightMaxAgeDays,
  vitals: p.vitals,
  preSession: p.preSession,
  requiredConsentKinds: p.requiredConsentKinds,
  absoluteContraindications: p.absoluteContraindications,
  induction: p.induction,
  maintenance: p.maintenance,
  thresholds: p.thresholds,
  effectiveThresholds: mergeThresholds(clinicThresholds, p.thresholds),
  sources: p.sources,
  reason: p.reason,
  createdBy: p.createdBy,
  createdAt: p.createdAt.toISOString(),
});

@ApiTags('protocols')
@ApiBearerAuth()
@Controller('protocols')
export class ProtocolsController {
  constructor(
    private readonly protocols: ProtocolsService,
    private readonly settings: ClinicSettingsService,
  ) {}

  private async clinicThresholds(actor: Actor): Promise<ThresholdSet> {
    return (await this.settings.forClinic(actor.clinicId)).thresholds;
  }

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: ProtocolPageDto, description: 'the version each protocol is at in your clinic, by key' })
  async list(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<ProtocolPageDto> {
    const thresholds = await this.clinicThresholds(actor);
    const page = await this.protocols.page(actor.clinicId, query);
    return { items: page.items.map((p) => view(p, thresholds)), nextCursor: page.nextCursor };
  }

  @Get(':key')
  @AnyRole()
  @ApiOkResponse({ type: ProtocolDto })
  async get(@CurrentActor() actor: Actor, @Param() params: ProtocolKeyParam): Promise<ProtocolDto> {
    return view(await this.protocols.effective(actor.clinicId, params.key), await this.clinicThresholds(actor));
  }

  @Patch(':key')
  @Roles('anesthesiologist')
  @FieldChecks(ProtocolsService, (s, r: CheckedBody<EditProtocolDto>) => s.changeProblems({ thresholds: r.body.thresholds }))
  @ApiOkResponse({ type: ProtocolDto, description: 'the new version; audited with old and new values and the reason' })
  async edit(@CurrentActor() actor: Actor, @Param() params: ProtocolKeyParam, @Body() body: EditProtocolDto): Promise<ProtocolDto> {
    const { reason, version, ...changes } = body;
    return view(
      await this.protocols.edit(actor, params.key, changes as ProtocolChanges, reason, version),
      await this.clinicThresholds(actor),
    );
  }
}
