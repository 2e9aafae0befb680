import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock, DomainError, PendingWorkService, TransactionRunner, User, type Actor, type RuleProblem, type Tx } from '#platform';
import { AssessmentsService } from '../assessments/index.js';
import { ConsentService } from '../consent/index.js';
import { DosingService } from '../dosing/index.js';
import { ClinicEventBus } from '../events/index.js';
import { PatientsService, ScreeningService } from '../patients/index.js';
import { ProtocolsService, type ProtocolVersion } from '../protocols/index.js';
import { assembleBaseline, lastMeasured, type Baseline, type PreDoseReading } from './baseline.js';
import { preSessionProblems } from './pre-session-gate.js';
import type { StartInput } from './session-inputs.js';
import { DoseAdministration, Session, type StartOverride } from './session.entity.js';
import { observationEndWork, remsBpCheckWork } from './session-work.js';
import { SessionsService, type TransitionEffect } from './sessions.service.js';

const DRUG = (route: string): 'ketamine' | 'esketamine' => (route === 'intranasal' ? 'esketamine' : 'ketamine');

/** The start of dosing: the pre-session gate (clinical-rules.md section 2), the dose rules, the controlled-substance log. */
@Injectable()
export class SessionStartService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly patients: PatientsService,
    private readonly protocols: ProtocolsService,
    private readonly consent: ConsentService,
    private readonly screening: ScreeningService,
    private readonly dosing: DosingService,
    private readonly assessments: AssessmentsService,
    private readonly pendingWork: PendingWorkService,
    private readonly events: ClinicEventBus,
  ) {}

  /**
   * 422 lists every unmet rule at once; an anesthesiologist may pass the soft stops, each with a reason.
   * A session only checked in is answered the same way (its pre-checks, baseline … listed), not 409.
   */
  async start(actor: Actor, id: string, input: StartInput): Promise<Session> {
    const overrides = input.overrides ?? [];
    if (overrides.length && actor.role !== 'anesthesiologist') throw DomainError.forbidden('Only an anesthesiologist may pass a soft stop');
    await this.refuseWhileCheckedIn(actor, id, input);
    return this.sessions.transition(actor, id, 'start', input, (tx, s, at) => this.startDosing(tx, actor, s, at, input));
  }

  /** A session still checked in (no pre-checks yet) cannot start: 422 with every rule it does not meet yet. */
  private async refuseWhileCheckedIn(actor: Actor, id: string, input: StartInput): Promise<void> {
    await this.transactions.run(async (tx) => {
      const s = await this.sessions.find(tx.manager, actor.clinicId, id);
      if (s.status !== 'checked_in') return;
      const now = this.clock.now();
      const { problems } = await this.problems(tx.manager, actor, s, input.occurredAt ?? now, input);
      if (problems.length) throw DomainError.firstRuleUnmet(`The session cannot start: it is ${s.status}`, problems);
    });
  }

  /** Every rule of the gate and of the dose the start would break, with the dose it would give. */
  private async problems(m: EntityManager, actor: Actor, s: Session, at: Date, input: StartInput) {
    const patient = await this.patients.findInClinic(m, actor.clinicId, s.patientId);
    const protocol = await this.protocols.effective(actor.clinicId, s.protocolKey, m);
    const plan = await this.dosing.plan(
      m,
      patient,
      protocol,
      { mgPerKg: input.doseMgPerKg, doseMg: input.doseMg, concentrationMgPerMl: input.concentrationMgPerMl },
      at,
      s.id,
    );
    const readings = await preDoseReadings(m, s.id, at);
    const baseline = assembleBaseline(readings);
    // Consent is judged now, whatever time the start is charted at: a withdrawal is never back-dated around.
    const gate = await this.gate(m, s, protocol, { sex: patient.sex, at, now: this.clock.now(), baseline, readings });
    return { protocol, dose: plan.dose, baseline, problems: [...gate, ...plan.problems] };
  }

  private async startDosing(tx: Tx, actor: Actor, s: Session, at: Date, input: StartInput): Promise<TransitionEffect> {
    const m = tx.manager;
    const overrides = input.overrides ?? [];
    const { protocol, dose: d, baseline, problems } = await this.problems(m, actor, s, at, input);
    const passed: StartOverride[] = [];
    const unmet: RuleProblem[] = [];
    for (const p of problems) {
      const o = overrides.find((x) => x.code === p.code);
      if (o && p.overridable) passed.push({ code: p.code, reason: o.reason.trim(), by: actor.userId });
      else unmet.push(p);
    }
    if (unmet.length) throw DomainError.firstRuleUnmet('The session cannot start', unmet);
    const lotNumber = await this.lotDrawn(tx, actor, s, at, DRUG(protocol.route), d.doseMg, input);
    await m.insert(DoseAdministration, {
      clinicId: s.clinicId,
      sessionId: s.id,
      patientId: s.patientId,
      drug: DRUG(protocol.route),
      route: protocol.route,
      doseMg: d.doseMg,
      lotNumber,
      administeredBy: actor.userId,
      administeredAt: at,
    });
    // The "vitals overdue" check follows the start (vitals domain, on SessionStatusChanged).
    if (protocol.observationFrom === 'first-dose')
      await this.pendingWork.schedule(tx, observationEndWork(s, at, protocol.minObservationMin));
    const checkpoint = protocol.vitals.checkpointsMin[0];
    if (checkpoint !== undefined) await this.pendingWork.schedule(tx, remsBpCheckWork(s, at, checkpoint));
    return {
      changes: {
        protocolVersionId: protocol.id,
        doseMgPerKg: d.mgPerKg,
        orderedDoseMg: d.orderedDoseMg,
        doseMg: d.doseMg,
        weightKg: d.weightKg,
        concentrationMgPerMl: d.concentrationMgPerMl,
        rateMgPerH: d.rateMgPerH,
        rateMlPerH: d.rateMlPerH,
        durationMin: d.durationMin,
        devices: d.devices,
        startOverrides: passed,
        dosingStartedAt: at,
        // The baseline judged here (perhaps assembled from a cuff and a monitor): rises during dosing are measured from its blood pressure.
        baselineReadingId: baseline?.readingId ?? s.baselineReadingId,
        // Spravato label: observation counts from the first device.
        observationFrom: protocol.observationFrom === 'first-dose' ? at : null,
      },
      data: { protocolVersion: protocol.version, dose: d, lotNumber, containerId: input.containerId ?? null, overrides: passed },
    };
  }

  /**
   * The lot given: typed, or, when the dose is drawn from a named container, the container's, once the
   * controlled-substance ledger has recorded the draw in this transaction (ControlledDoseDrawn). A
   * clinic that keeps its controlled substances in Vigil must name the container.
   */
  private async lotDrawn(
    tx: Tx,
    actor: Actor,
    s: Session,
    at: Date,
    substance: 'ketamine' | 'esketamine',
    doseMg: number,
    input: StartInput,
  ) {
    const typed = input.lotNumber?.trim() || null;
    if (!input.containerId && !typed)
      throw DomainError.validation([{ field: 'lotNumber', message: 'the lot given, or the containerId it is drawn from' }]);
    const payload = {
      clinicId: s.clinicId,
      actor,
      at,
      sessionId: s.id,
      patientId: s.patientId,
      containerId: input.containerId ?? null,
      typedLot: typed,
      substance,
      doseMg,
    };
    const [drawn] = await this.events.publish(tx, 'ControlledDoseDrawn', payload);
    if (typed && typed !== drawn.lot) throw DomainError.validation([{ field: 'lotNumber', message: `the container is lot ${drawn.lot}` }]);
    return drawn.lot;
  }

  private async gate(m: EntityManager, s: Session, protocol: ProtocolVersion, when: GateMoment): Promise<RuleProblem[]> {
    const { sex, at, now } = when;
    const missing = await this.consent.missingKinds(m, s.clinicId, s.patientId, protocol.requiredConsentKinds, now);
    const rems = protocol.preSession.remsEnrollmentRequired
      ? Boolean(await this.consent.activeConsent(m, s.clinicId, s.patientId, 'esketamine-rems-enrollment', now))
      : true;
    const screening = await this.screening.status(m, s.patientId);
    const prescriber = s.anesthesiologistUserId
      ? await m.findOneBy(User, { id: s.anesthesiologistUserId, role: 'anesthesiologist', active: true })
      : null;
    return preSessionProblems({
      now: at,
      rules: protocol.preSession,
      missingConsentKinds: missing,
      remsEnrollmentActive: rems,
      contraindications: screening.absoluteContraindications.filter((c) => protocol.absoluteContraindications.includes(c)),
      unacknowledgedCautions: screening.unacknowledgedCautions,
      baseline: when.baseline,
      baselineVitals: lastMeasured(when.readings),
      preChecks: s.preChecks,
      pregnancyRelevant: sex !== 'male',
      prescriberPresent: Boolean(prescriber),
      cssrsUnreviewed: await this.assessments.unreviewedHighRisk(m, s.patientId),
    });
  }
}

/** Who the start is for and when: the patient's sex, the start's charted time, now, and the vitals before it. */
interface GateMoment {
  sex: string;
  at: Date;
  now: Date;
  baseline: Baseline | null;
  readings: PreDoseReading[];
}

/**
 * The session's readings measured up to the start, oldest first, corrected ones left out: what the
 * baseline is assembled from. The readings are the vitals domain's, above this one: read from its
 * table, as dosing reads past doses.
 */
async function preDoseReadings(m: EntityManager, sessionId: string, at: Date): Promise<PreDoseReading[]> {
  const rows = await m.query<
    { id: string; measured_at: Date; systolic: number | null; diastolic: number | null; heart_rate: number | null; spo2: number | null }[]
  >(
    `SELECT id, measured_at, systolic, diastolic, heart_rate, spo2 FROM vital_readings
      WHERE session_id = $1 AND superseded_at IS NULL AND measured_at <= $2 ORDER BY measured_at, recorded_at`,
    [sessionId, at],
  );
  return rows.map((r) => ({
    id: r.id,
    measuredAt: r.measured_at,
    systolic: r.systolic,
    diastolic: r.diastolic,
    heartRate: r.heart_rate,
    spo2: r.spo2,
  }));
}
