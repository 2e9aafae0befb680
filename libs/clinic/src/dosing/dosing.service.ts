import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ageInYears,
  AuditService,
  Clinic,
  Clock,
  DomainError,
  localDate,
  TransactionRunner,
  type Actor,
  type RuleProblem,
} from '#platform';
import { latestWeight, PatientsService, type Patient } from '../patients/index.js';
import { ProtocolsService, type DoseRoute, type ProtocolVersion } from '../protocols/index.js';
import { eligibilityProblems } from './dose-eligibility.js';
import { DoseHistorySource, type DoseHistory } from './dose-history.js';
import { deviceDose, doseRangeProblems, mgPerKgForSession, weightBasedDose } from './dose-math.js';

export interface DoseRequest {
  protocol: string;
  /** Weight-based protocols: defaults to the protocol's dose for the patient's next session. */
  mgPerKg?: number;
  /** Esketamine: 56 or 84; defaults to the first-session dose. */
  doseMg?: number;
  concentrationMgPerMl?: number;
  /** Soft stops an anesthesiologist passes for this calculation (DOSE_ABOVE_MAX …). */
  overrides?: string[];
}

/** The weight a dose is based on (clinical-rules.md section 1: actual body weight, the only basis Vigil uses). */
export const WEIGHT_BASES = ['actual'] as const;

export interface DoseCalculationView {
  protocol: string;
  protocolVersion: number;
  route: DoseRoute;
  weightKg: number;
  weightRecordedAt: string;
  weightBasis: (typeof WEIGHT_BASES)[number];
  sessionNumber: number;
  mgPerKg: number | null;
  orderedDoseMg: number;
  doseMg: number;
  durationMin: number | null;
  rateMgPerH: number | null;
  concentrationMgPerMl: number | null;
  rateMlPerH: number | null;
  volumeMl: number | null;
  devices: number | null;
  deviceMg: number | null;
  overridden: string[];
}

@Injectable()
export class DosingService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patients: PatientsService,
    private readonly protocols: ProtocolsService,
    private readonly history: DoseHistorySource,
  ) {}

  /**
   * The dose for this patient under `protocol` now, refused (422, every unmet rule) when the weight
   * is missing or out of date, the patient is under the protocol's minimum age, or the dose is
   * outside the protocol's rules. Soft stops pass only with an anesthesiologist's override.
   */
  async calculate(actor: Actor, patientId: string, req: DoseRequest): Promise<DoseCalculationView> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const patient = await this.patients.findInClinic(m, actor.clinicId, patientId);
      const protocol = await this.protocols.effective(actor.clinicId, req.protocol, m).catch(() => {
        throw DomainError.validation([{ field: 'protocol', message: `no protocol "${req.protocol}"` }]);
      });
      const { dose, problems } = await this.plan(m, patient, protocol, req, now);
      const overrides = req.overrides ?? [];
      if (overrides.length && actor.role !== 'anesthesiologist')
        throw DomainError.forbidden('Only an anesthesiologist may order a dose outside the protocol');
      const unmet = problems.filter((p) => !(p.overridable && overrides.includes(p.code)));
      if (unmet.length) throw DomainError.firstRuleUnmet('The dose cannot be calculated as asked', unmet);
      await this.audit.record(tx, {
        action: 'patient.dose-calculation',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { protocol: req.protocol, protocolVersion: protocol.version, doseMg: dose.doseMg, overridden: dose.overridden },
      });
      return dose;
    });
  }

  /**
   * The dose for this patient under this protocol version at `now`, with every rule it breaks
   * (the caller decides which an anesthesiologist has passed). Used by the calculator and by start.
   */
  async plan(
    m: EntityManager,
    patient: Patient,
    protocol: ProtocolVersion,
    req: Omit<DoseRequest, 'protocol' | 'overrides'>,
    now: Date,
    excludeSessionId?: string,
  ): Promise<{ dose: DoseCalculationView; problems: RuleProblem[] }> {
    const clinic = await m.findOneByOrFail(Clinic, { id: patient.clinicId });
    const weight = await latestWeight(m, patient.id);
    const problems = eligibilityProblems(ageInYears(patient.dateOfBirth, localDate(now, clinic.timeZone)), weight, protocol, now);
    const history = await this.history.forPatient(m, patient.clinicId, patient.id, protocol.key, excludeSessionId);
    const sessionNumber = history.sessionsCompleted + 1;
    const result = doseByRule(protocol, req, weight?.weightKg ?? 0, history, sessionNumber, problems);
    return {
      dose: {
        protocol: protocol.key,
        protocolVersion: protocol.version,
        route: protocol.route,
        weightRecordedAt: weight ? weight.measuredAt.toISOString() : '',
        weightBasis: 'actual',
        sessionNumber,
        overridden: problems.filter((p) => p.overridable).map((p) => p.code),
        ...result,
      },
      problems,
    };
  }
}

type RuleDose = Omit<
  DoseCalculationView,
  'protocol' | 'protocolVersion' | 'route' | 'weightRecordedAt' | 'weightBasis' | 'sessionNumber' | 'overridden'
>;

/** The dose by the protocol's rule (mg/kg by weight, or whole devices); the rules it breaks are added to `problems`. */
function doseByRule(
  protocol: ProtocolVersion,
  req: Omit<DoseRequest, 'protocol' | 'overrides'>,
  weightKg: number,
  history: DoseHistory,
  sessionNumber: number,
  problems: RuleProblem[],
): RuleDose {
  const rule = protocol.doseRule;
  if (rule.kind === 'weight-based') {
    if (req.doseMg !== undefined)
      throw DomainError.validation([{ field: 'doseMg', message: `${protocol.key} is dosed in mg/kg: send mgPerKg` }]);
    const mgPerKg = req.mgPerKg ?? mgPerKgForSession(rule, sessionNumber);
    if (protocol.doseLimits) problems.push(...doseRangeProblems(mgPerKg, protocol.doseLimits, history.lastMgPerKg));
    const d = weightBasedDose({ weightKg, mgPerKg, durationMin: protocol.durationMin, concentrationMgPerMl: req.concentrationMgPerMl });
    return { ...d, devices: null, deviceMg: null };
  }
  if (req.mgPerKg !== undefined)
    throw DomainError.validation([{ field: 'mgPerKg', message: `${protocol.key} is dosed in whole devices: send doseMg` }]);
  const { dose, problems: deviceProblems } = deviceDose(rule, req.doseMg ?? rule.firstDoseMg, history.dosesMg);
  problems.push(...deviceProblems);
  return {
    weightKg,
    mgPerKg: null,
    orderedDoseMg: dose.doseMg,
    doseMg: dose.doseMg,
    durationMin: dose.durationMin,
    rateMgPerH: null,
    concentrationMgPerMl: null,
    rateMlPerH: null,
    volumeMl: null,
    devices: dose.devices,
    deviceMg: dose.deviceMg,
  };
}
