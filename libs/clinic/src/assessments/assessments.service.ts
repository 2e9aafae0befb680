import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clock,
  DomainError,
  ErrorCode,
  keysetPage,
  TransactionRunner,
  type Actor,
  type FieldProblem,
  type Page,
  type Tx,
} from '#platform';
import { ClinicEventBus, type SuicideRisk } from '../events/index.js';
import { FollowUpsService } from '../follow-ups/index.js';
import { PatientsService } from '../patients/index.js';
import { ClinicSettingsService } from '../settings/index.js';
import { Assessment } from './assessment.entity.js';
import { itemProblems, outcomeView, score, summarize, suicideRisk, type Instrument, type OutcomeView } from './scoring.js';

export interface NewAssessment {
  instrument: Instrument;
  items: unknown[];
  behaviourPastThreeMonths?: boolean;
  administeredAt: Date;
  sessionId?: string;
}

export interface AssessmentView {
  id: string;
  patientId: string;
  sessionId: string | null;
  instrument: Instrument;
  items: (number | boolean)[];
  total: number;
  band: string | null;
  flags: string[];
  loinc: string | null;
  administeredAt: string;
  recordedBy: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}

const view = (a: Assessment): AssessmentView => ({
  id: a.id,
  patientId: a.patientId,
  sessionId: a.sessionId,
  instrument: a.instrument,
  items: a.items,
  total: a.total,
  band: a.band,
  flags: a.flags,
  loinc: a.loinc,
  administeredAt: a.administeredAt.toISOString(),
  recordedBy: a.recordedBy,
  reviewedBy: a.reviewedBy,
  reviewedAt: a.reviewedAt?.toISOString() ?? null,
  reviewNote: a.reviewNote,
});

/** Outcome measures (clinical-rules.md section 5): scored here, never trusted from the client. */
const points = (rows: Assessment[], instrument: Instrument) =>
  rows.filter((r) => r.instrument === instrument).map((r) => ({ at: r.administeredAt, total: r.total }));

@Injectable()
export class AssessmentsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patients: PatientsService,
    private readonly followUps: FollowUpsService,
    private readonly events: ClinicEventBus,
    private readonly settings: ClinicSettingsService,
  ) {}

  /** The answers against their instrument's items, and a time not in the future; fields not given are not judged. */
  problems(input: Partial<NewAssessment>): FieldProblem[] {
    const problems = input.instrument && input.items ? itemProblems(input.instrument, input.items) : [];
    if (input.administeredAt && input.administeredAt.getTime() > this.clock.now().getTime() + 2 * 60_000)
      problems.push({ field: 'administeredAt', message: 'must not be in the future' });
    return problems;
  }

  async record(actor: Actor, patientId: string, input: NewAssessment): Promise<AssessmentView> {
    const problems = this.problems(input);
    if (problems.length) throw DomainError.validation(problems);
    const items = input.items as (number | boolean)[];
    const s = score(input.instrument, items, input.behaviourPastThreeMonths ?? false);
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const patient = await this.patients.findInClinic(m, actor.clinicId, patientId);
      const a = await m.save(
        m.create(Assessment, {
          clinicId: actor.clinicId,
          patientId,
          sessionId: input.sessionId ?? null,
          instrument: input.instrument,
          items,
          behaviourPastThreeMonths: input.instrument === 'CSSRS' ? (input.behaviourPastThreeMonths ?? false) : null,
          total: s.total,
          band: s.band,
          flags: s.flags,
          loinc: s.loinc,
          administeredAt: input.administeredAt,
          recordedBy: actor.userId,
        }),
      );
      await this.raiseRisks(tx, actor, patient, a);
      if (a.instrument === 'PHQ9' || a.instrument === 'GAD7') {
        // A relapse signal after induction proposes the next maintenance session earlier (section 5).
        const rows = await m.find(Assessment, { where: { patientId, instrument: a.instrument }, order: { administeredAt: 'ASC' } });
        const { outcomeBaselineWindowMin } = await this.settings.forClinic(actor.clinicId, m);
        const summary = summarize(a.instrument, points(rows, a.instrument), await this.firstDoseAt(m, patientId), outcomeBaselineWindowMin);
        if (summary.relapse && summary.latest?.at.getTime() === a.administeredAt.getTime())
          await this.events.publish(tx, 'RelapseDetected', {
            clinicId: actor.clinicId,
            actor,
            at: a.administeredAt,
            patientId,
            signal: `${a.instrument === 'PHQ9' ? 'PHQ-9' : 'GAD-7'} ${a.total}`,
          });
      }
      await this.audit.record(tx, {
        action: 'patient.assessment.record',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { assessmentId: a.id, instrument: a.instrument, total: a.total, band: a.band, flags: a.flags },
      });
      return view(a);
    });
  }

  /** An anesthesiologist reviews a high-risk C-SSRS screener; until then no session of the patient starts. */
  async review(actor: Actor, patientId: string, assessmentId: string, note: string): Promise<AssessmentView> {
    return this.transactions.run(async (tx) => {
      await this.patients.findInClinic(tx.manager, actor.clinicId, patientId);
      const a = await tx.manager.findOneBy(Assessment, { id: assessmentId, patientId, clinicId: actor.clinicId });
      if (!a) throw DomainError.notFound('Assessment');
      if (a.reviewedAt) throw DomainError.conflict(ErrorCode.AlreadyReviewed, 'This assessment was already reviewed');
      Object.assign(a, { reviewedBy: actor.userId, reviewedAt: this.clock.now(), reviewNote: note.trim() });
      await tx.manager.save(a);
      await this.audit.record(tx, {
        action: 'patient.assessment.review',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { assessmentId, note: a.reviewNote },
      });
      return view(a);
    });
  }

  /** The patient's assessments, oldest first, a page at a time; the read is audited. */
  async list(actor: Actor, patientId: string, page: { limit: number; cursor?: string }): Promise<Page<AssessmentView>> {
    return this.transactions.run(async (tx) => {
      await this.patients.findInClinic(tx.manager, actor.clinicId, patientId);
      await this.audit.record(tx, { action: 'patient.assessments.read', resourceType: 'patient', resourceId: patientId });
      const q = tx.manager.createQueryBuilder(Assessment, 'a').where('a.patient_id = :patientId', { patientId });
      return keysetPage(q, {
        sortColumn: 'a.administered_at',
        idColumn: 'a.id',
        order: 'ASC',
        cursor: page.cursor,
        limit: page.limit,
        key: (a) => ({ at: a.administeredAt, id: a.id }),
        view,
      });
    });
  }

  /** Per instrument: baseline, every point, latest, change, response, remission and the relapse signal. */
  async outcomes(
    actor: Actor,
    patientId: string,
  ): Promise<Record<'PHQ9' | 'GAD7' | 'CADSS6', OutcomeView> & { CSSRS: AssessmentView | null; firstSessionAt: string | null }> {
    return this.transactions.run(async (tx) => {
      await this.patients.findInClinic(tx.manager, actor.clinicId, patientId);
      await this.audit.record(tx, { action: 'patient.outcomes.read', resourceType: 'patient', resourceId: patientId });
      const rows = await tx.manager.find(Assessment, { where: { patientId }, order: { administeredAt: 'ASC' } });
      const firstDoseAt = await this.firstDoseAt(tx.manager, patientId);
      const { outcomeBaselineWindowMin: windowMin } = await this.settings.forClinic(actor.clinicId, tx.manager);
      const cssrs = rows.filter((r) => r.instrument === 'CSSRS');
      const outcome = (i: 'PHQ9' | 'GAD7' | 'CADSS6') => outcomeView(summarize(i, points(rows, i), firstDoseAt, windowMin));
      return {
        firstSessionAt: firstDoseAt?.toISOString() ?? null,
        PHQ9: outcome('PHQ9'),
        GAD7: outcome('GAD7'),
        CADSS6: outcome('CADSS6'),
        CSSRS: cssrs.length ? view(cssrs[cssrs.length - 1]) : null,
      };
    });
  }

  /** When the patient's first dose was given: the baseline is the last score before it, or one soon after it (section 5). */
  private async firstDoseAt(m: EntityManager, patientId: string): Promise<Date | null> {
    const [first] = await m.query<{ at: Date | null }[]>(`SELECT min(dosing_started_at) AS at FROM sessions WHERE patient_id = $1`, [
      patientId,
    ]);
    return first?.at ?? null;
  }

  /** A high-risk C-SSRS screener no anesthesiologist has reviewed yet, whatever came after it (pre-session gate). */
  async unreviewedHighRisk(m: EntityManager, patientId: string): Promise<boolean> {
    return m.existsBy(Assessment, { patientId, instrument: 'CSSRS', band: 'high', reviewedAt: IsNull() });
  }

  /**
   * PHQ-9 item 9 above 0 (warning) or a high-risk C-SSRS screener (critical): an alert on the
   * session when the patient is in the clinic (AssessmentRecorded, whose handlers also check the
   * session named), and wherever the patient is, a review task and a message to the
   * anesthesiologists that only they may close (clinical-rules.md section 5).
   */
  private async raiseRisks(
    tx: Tx,
    actor: Actor,
    patient: { id: string; firstName: string; lastName: string; mrn: string },
    a: Assessment,
  ): Promise<void> {
    const risks: SuicideRisk[] = a.flags.map((flag) => suicideRisk(flag, a.items));
    await this.events.publish(tx, 'AssessmentRecorded', {
      clinicId: actor.clinicId,
      actor,
      at: a.administeredAt,
      patientId: patient.id,
      assessmentId: a.id,
      sessionId: a.sessionId,
      risks,
    });
    for (const risk of risks)
      // The follow-up tells the anesthesiologists (an email each, in the outbox).
      await this.followUps.create(tx, {
        clinicId: actor.clinicId,
        patientId: patient.id,
        kind: 'suicide-risk-review',
        subjectType: 'assessment',
        subjectId: a.id,
        title: `${patient.firstName} ${patient.lastName} (MRN ${patient.mrn}): ${risk.message}`,
        dueAt: this.clock.now(),
        assigneeRole: 'anesthesiologist',
      });
  }
}
