import { Injectable } from '@nestjs/common';
import { In, IsNull, Not, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clinic,
  Clock,
  DomainError,
  ErrorCode,
  JobHandler,
  JobName,
  TransactionRunner,
  User,
  type Actor,
  type PendingWork,
  type Tx,
} from '#platform';
import { AlertsService } from '../alerts/index.js';
import { ConsentService } from '../consent/index.js';
import { FollowUpsService } from '../follow-ups/index.js';
import { Patient, PatientMedication } from '../patients/index.js';
import { ProtocolsService, type ProtocolVersion } from '../protocols/index.js';
import { DOSED_STATUSES, DoseAdministration, Session, SessionsService, TREATED_STATUSES } from '../sessions/index.js';
import { ClinicSettingsService } from '../settings/index.js';
import { VitalReading } from '../vitals/index.js';
import { AdverseEvent, Discharge, ObservationCheck } from './observation.entity.js';
import { remsFormFields, type RemsForm, type RemsFormRecords, type RemsFormStatus } from './rems-form.js';
import { checkpointBpFrom, underRems } from './rems-rules.js';

const NO_USER = '00000000-0000-0000-0000-000000000000';
const DAY_MS = 24 * 60 * 60_000;

/**
 * The Spravato REMS of esketamine sessions (docs/clinical-rules.md section 4): the blood pressure 40
 * minutes after the first device, the Patient Monitoring Form and the follow-up to submit it.
 */
@Injectable()
export class RemsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly protocols: ProtocolsService,
    private readonly alerts: AlertsService,
    private readonly consent: ConsentService,
    private readonly followUps: FollowUpsService,
    private readonly settings: ClinicSettingsService,
  ) {}

  /** The REMS Patient Monitoring Form of an esketamine session: as stored at discharge, or a draft before. */
  async formFor(actor: Actor, sessionId: string): Promise<RemsForm & { status: RemsFormStatus }> {
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.find(tx.manager, actor.clinicId, sessionId);
      const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
      if (!underRems(protocol))
        throw DomainError.conflict(ErrorCode.NotEsketamine, 'Only esketamine sessions have a REMS Patient Monitoring Form');
      await this.audit.record(tx, { action: 'session.rems-form.read', resourceType: 'session', resourceId: s.id });
      const discharge = await tx.manager.findOneBy(Discharge, { sessionId: s.id });
      // Stored at discharge by completeForm below.
      if (discharge?.remsForm) return { status: 'complete', ...(discharge.remsForm as unknown as RemsForm) };
      return { status: 'draft', ...(await this.form(tx.manager, s, protocol, this.clock.now(), null, false)) };
    });
  }

  /** At discharge: the form, complete, to store with the discharge. */
  completeForm(m: EntityManager, s: Session, protocol: ProtocolVersion, at: Date, readyToLeaveMin: number | null) {
    return this.form(m, s, protocol, at, readyToLeaveMin, true);
  }

  /** Spravato REMS: the Patient Monitoring Form is due within 7 days of the session; escalated at day 5. */
  async followUpForm(tx: Tx, s: Session, at: Date): Promise<void> {
    const settings = await this.settings.forClinic(s.clinicId, tx.manager);
    await this.followUps.create(tx, {
      clinicId: s.clinicId,
      patientId: s.patientId,
      kind: 'rems-monitoring-form',
      subjectType: 'session',
      subjectId: s.id,
      title: 'Submit the Spravato REMS Patient Monitoring Form',
      dueAt: new Date(at.getTime() + settings.remsFormDueDays * DAY_MS),
      escalateAt: new Date(at.getTime() + settings.remsFormEscalateDays * DAY_MS),
      assigneeRole: 'nurse',
    });
  }

  /** Spravato label: blood pressure at 40 minutes after the first device; missing, it raises a warning. */
  @JobHandler(JobName.RemsBpCheck)
  async bpCheck(work: PendingWork, tx: Tx): Promise<void> {
    const s = await tx.manager.findOneBy(Session, { id: work.subjectId });
    if (!s?.dosingStartedAt || !DOSED_STATUSES.includes(s.status)) return;
    const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
    const due = checkpointBpFrom(s.dosingStartedAt, protocol.vitals);
    if (!due) return;
    const taken = await tx.manager
      .createQueryBuilder(VitalReading, 'v')
      .where('v.session_id = :id AND v.systolic IS NOT NULL AND v.measured_at >= :from', { id: s.id, from: due.from })
      .getExists();
    if (taken) return;
    await this.alerts.raiseOrAttach(tx, {
      session: s,
      measure: 'rems-40-min-bp',
      level: 'warning',
      message: `Blood pressure ${due.checkpoint} minutes after the first device is missing (Spravato label)`,
      at: this.clock.now(),
    });
  }

  private async form(m: EntityManager, s: Session, protocol: ProtocolVersion, at: Date, readyToLeaveMin: number | null, complete: boolean) {
    const records = await this.records(m, s, at);
    return remsFormFields({ ...records, session: s, vitals: protocol.vitals, at, complete, readyToLeaveMin });
  }

  /** What the form is filled from, read in the caller's transaction. */
  private async records(
    m: EntityManager,
    s: Session,
    at: Date,
  ): Promise<Omit<RemsFormRecords, 'session' | 'vitals' | 'at' | 'complete' | 'readyToLeaveMin'>> {
    const monitor = await m.findOneBy(User, { id: s.nurseUserId ?? s.anesthesiologistUserId ?? NO_USER });
    return {
      patient: await m.findOneByOrFail(Patient, { id: s.patientId }),
      clinicName: (await m.findOneByOrFail(Clinic, { id: s.clinicId })).name,
      readings: await m.find(VitalReading, { where: { sessionId: s.id }, order: { measuredAt: 'ASC' } }),
      earlierTreatments: await m.count(Session, {
        where: { patientId: s.patientId, protocolKey: s.protocolKey, id: Not(s.id), status: In([...TREATED_STATUSES]) },
      }),
      lotNumber: (await m.findOneBy(DoseAdministration, { sessionId: s.id }))?.lotNumber ?? null,
      medications: await m.find(PatientMedication, { where: { patientId: s.patientId, removedAt: IsNull() } }),
      adverseEvents: await m.findBy(AdverseEvent, { sessionId: s.id }),
      checks: await m.findBy(ObservationCheck, { sessionId: s.id }),
      monitor: monitor ? { name: monitor.name, email: monitor.email } : null,
      remsEnrolled: Boolean(await this.consent.activeConsent(m, s.clinicId, s.patientId, 'esketamine-rems-enrollment', at)),
    };
  }
}
