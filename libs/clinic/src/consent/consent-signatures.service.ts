import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AuditService,
  Clinic,
  Clock,
  DomainError,
  ErrorCode,
  keysetPage,
  localDate,
  TransactionRunner,
  User,
  type Actor,
  type FieldProblem,
  type Page,
  type Tx,
} from '#platform';
import { ClinicEventBus } from '../events/index.js';
import { FollowUpsService } from '../follow-ups/index.js';
import { PatientsService } from '../patients/index.js';
import { ProtocolsService } from '../protocols/index.js';
import { ClinicSettingsService } from '../settings/index.js';
import type { ConsentForm, ConsentKind } from './consent-form.entity.js';
import { ConsentFormsService } from './consent-forms.service.js';
import { addMonths } from './consent-status.js';
import { consentView, type ConsentView } from './consent-views.js';
import { PatientConsent, type ConsentMethod } from './patient-consent.entity.js';
import { signatureTimeProblems } from './signature-rules.js';

export interface NewSignature {
  formId: string;
  signedAt: Date;
  signedByName: string;
  method: ConsentMethod;
  witnessUserId?: string;
  prescriberUserId?: string;
  prescriberSignedAt?: Date;
}

type Signers = Pick<PatientConsent, 'witnessUserId' | 'prescriberUserId' | 'prescriberSignedAt'>;

const REMS_KIND: ConsentKind = 'esketamine-rems-enrollment';

/** The patient's signatures on the clinic's consent forms: recorded, listed, withdrawn (clinical-rules.md section 6). */
@Injectable()
export class ConsentSignaturesService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patients: PatientsService,
    private readonly forms: ConsentFormsService,
    private readonly followUps: FollowUpsService,
    private readonly events: ClinicEventBus,
    private readonly protocols: ProtocolsService,
    private readonly settings: ClinicSettingsService,
  ) {}

  /** A signature's times in the future (the form and the signers are judged with the record, in its transaction). */
  problems(input: Partial<NewSignature>): FieldProblem[] {
    return signatureTimeProblems(input, this.clock.now());
  }

  /** Records a signature on one exact, published form version. */
  async record(actor: Actor, patientId: string, input: NewSignature): Promise<ConsentView> {
    const now = this.clock.now();
    const problems = this.problems(input);
    if (problems.length) throw DomainError.validation(problems);
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      await this.patients.findInClinic(m, actor.clinicId, patientId, true);
      const form = await this.forms.inClinic(m, actor.clinicId, input.formId).catch(() => {
        throw DomainError.validation([{ field: 'formId', message: 'no consent form with this id in your clinic' }]);
      });
      if (!form.publishedAt) throw DomainError.validation([{ field: 'formId', message: 'this form version is a draft; publish it first' }]);
      if (form.retiredAt)
        throw DomainError.firstRuleUnmet('This form version is retired', [
          { code: 'FORM_RETIRED', message: `version ${form.version} was retired: ${form.retirementReason ?? ''}`, overridable: false },
        ]);
      if (input.signedAt < form.publishedAt)
        throw DomainError.validation([{ field: 'signedAt', message: 'is before this form version was published' }]);
      const newer = await this.forms.reconsentVersions(m, actor.clinicId, form.kind, now);
      if (newer.some((v) => v > form.version)) {
        throw DomainError.rulesUnmet(ErrorCode.RuleUnmet, 'This form version has been superseded', [
          { code: 'FORM_SUPERSEDED', message: `version ${form.version} requires re-consent on a newer version`, overridable: false },
        ]);
      }
      const signers = await this.signers(m, actor, form, input);
      const consent = await m.save(
        m.create(PatientConsent, {
          clinicId: actor.clinicId,
          patientId,
          formId: form.id,
          kind: form.kind,
          formVersion: form.version,
          signedByName: input.signedByName.trim(),
          signedAt: input.signedAt,
          method: input.method,
          ...signers,
          expiresAt: addMonths(input.signedAt, form.validMonths),
          recordedBy: actor.userId,
        }),
      );
      await this.remindBeforeExpiry(tx, actor, consent, now);
      await this.audit.record(tx, {
        action: 'consent.record',
        resourceType: 'patient',
        resourceId: patientId,
        changes: {
          consentId: consent.id,
          kind: form.kind,
          formVersion: form.version,
          signedAt: input.signedAt.toISOString(),
          method: input.method,
        },
      });
      return consentView(consent, newer, now);
    });
  }

  /** The witness (default: who records it), and for the Spravato REMS enrollment the prescriber, who signs too before the first dose. */
  private async signers(m: EntityManager, actor: Actor, form: ConsentForm, input: NewSignature): Promise<Signers> {
    const witnessUserId = input.witnessUserId ?? actor.userId;
    await this.staffInClinic(m, actor.clinicId, witnessUserId, 'witnessUserId');
    if (form.kind !== REMS_KIND) {
      if (input.prescriberUserId)
        throw DomainError.validation([{ field: 'prescriberUserId', message: `only the ${REMS_KIND} form has a prescriber signature` }]);
      return { witnessUserId, prescriberUserId: null, prescriberSignedAt: null };
    }
    if (!input.prescriberUserId)
      throw DomainError.validation([{ field: 'prescriberUserId', message: 'the REMS enrollment is signed by the prescriber too' }]);
    await this.staffInClinic(m, actor.clinicId, input.prescriberUserId, 'prescriberUserId', 'anesthesiologist');
    return { witnessUserId, prescriberUserId: input.prescriberUserId, prescriberSignedAt: input.prescriberSignedAt ?? input.signedAt };
  }

  /** Section 7: a reminder task before it expires; an older consent of the same kind no longer needs one. */
  private async remindBeforeExpiry(tx: Tx, actor: Actor, consent: PatientConsent, now: Date): Promise<void> {
    const m = tx.manager;
    const { patientId, kind } = consent;
    for (const older of await m.find(PatientConsent, { where: { patientId, kind }, select: { id: true } }))
      if (older.id !== consent.id)
        await this.followUps.closeOpen(
          tx,
          { patientId, kind: 'consent-expiry', subjectId: older.id },
          { status: 'cancelled', note: `a new ${kind} consent was signed`, by: actor.userId },
        );
    const reminderDays = (await this.settings.forClinic(actor.clinicId, m)).consentExpiryReminderDays;
    const clinic = await m.findOneByOrFail(Clinic, { id: actor.clinicId });
    await this.followUps.create(tx, {
      clinicId: actor.clinicId,
      patientId,
      kind: 'consent-expiry',
      subjectType: 'consent',
      subjectId: consent.id,
      title: `The ${kind} consent expires on ${localDate(consent.expiresAt, clinic.timeZone)}: arrange re-consent`,
      dueAt: new Date(Math.max(consent.expiresAt.getTime() - reminderDays * 86_400_000, now.getTime())),
      assigneeRole: 'admin',
    });
  }

  /** One page of the patient's signatures, newest signature first; reading them is audited. */
  async list(actor: Actor, patientId: string, page: { limit: number; cursor?: string }): Promise<Page<ConsentView>> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      await this.patients.findInClinic(tx.manager, actor.clinicId, patientId);
      await this.audit.record(tx, { action: 'patient.consents.read', resourceType: 'patient', resourceId: patientId });
      const reconsent = await this.forms.reconsentByKind(tx.manager, actor.clinicId, now);
      const q = tx.manager.createQueryBuilder(PatientConsent, 'c').where('c.patient_id = :patientId', { patientId });
      return keysetPage(q, {
        sortColumn: 'c.signed_at',
        idColumn: 'c.id',
        order: 'DESC',
        cursor: page.cursor,
        limit: page.limit,
        key: (c) => ({ at: c.signedAt, id: c.id }),
        view: (c) => consentView(c, reconsent.get(c.kind) ?? [], now),
      });
    });
  }

  /**
   * Withdrawal takes effect at once (section 6): no session may start; the administrators get a
   * follow-up task and a message. Nothing is deleted.
   */
  async withdraw(actor: Actor, patientId: string, consentId: string, reason: string): Promise<ConsentView> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const patient = await this.patients.findInClinic(m, actor.clinicId, patientId);
      const consent = await m.findOneBy(PatientConsent, { id: consentId, patientId, clinicId: actor.clinicId });
      if (!consent) throw DomainError.notFound('Consent');
      const result = await m
        .createQueryBuilder()
        .update(PatientConsent)
        .set({ withdrawnAt: now, withdrawnBy: actor.userId, withdrawalReason: reason.trim() })
        .where('id = :id AND withdrawn_at IS NULL', { id: consentId })
        .execute();
      if (result.affected !== 1) throw DomainError.conflict(ErrorCode.AlreadyWithdrawn, 'This consent was already withdrawn');
      Object.assign(consent, { withdrawnAt: now, withdrawnBy: actor.userId, withdrawalReason: reason.trim() });
      await this.followUps.closeOpen(
        tx,
        { patientId, kind: 'consent-expiry', subjectId: consentId },
        { status: 'cancelled', note: 'consent withdrawn', by: actor.userId },
      );
      const { flagged, stoppedSeries } = await this.announceWithdrawal(tx, actor, consent, now);
      const title = `${patient.firstName} ${patient.lastName} (MRN ${patient.mrn}) withdrew ${consent.kind} consent: review ${flagged} upcoming appointment(s)`;
      // The follow-up itself tells the administrators (an email each, in the outbox).
      const task = await this.followUps.create(tx, {
        clinicId: actor.clinicId,
        patientId,
        kind: 'consent-withdrawn',
        subjectType: 'consent',
        subjectId: consentId,
        title: `${title}. Reason: ${reason.trim()}`,
        dueAt: now,
        assigneeRole: 'admin',
      });
      await this.audit.record(tx, {
        action: 'consent.withdraw',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { consentId, kind: consent.kind, reason: reason.trim(), followUpId: task.id, appointmentsFlagged: flagged, stoppedSeries },
      });
      return consentView(consent, await this.forms.reconsentVersions(m, actor.clinicId, consent.kind, now), now);
    });
  }

  /** ConsentWithdrawn: bookings react (flagged; maintenance of a protocol that needs this consent stops, section 7). */
  private async announceWithdrawal(
    tx: Tx,
    actor: Actor,
    consent: PatientConsent,
    now: Date,
  ): Promise<{ flagged: number; stoppedSeries: string[] }> {
    const needing = (await this.protocols.list(actor.clinicId, tx.manager))
      .filter((p) => p.requiredConsentKinds.includes(consent.kind))
      .map((p) => p.key);
    const effects = await this.events.publish(tx, 'ConsentWithdrawn', {
      clinicId: actor.clinicId,
      actor,
      at: now,
      patientId: consent.patientId,
      consentId: consent.id,
      kind: consent.kind,
      protocolKeys: needing,
    });
    return { flagged: effects.reduce((n, e) => n + e.appointmentsFlagged, 0), stoppedSeries: effects.flatMap((e) => e.stoppedSeries) };
  }

  private async staffInClinic(m: EntityManager, clinicId: string, userId: string, field: string, role?: 'anesthesiologist'): Promise<User> {
    const user = await m.findOneBy(User, { id: userId, clinicId, active: true });
    if (!user) throw DomainError.validation([{ field, message: 'no active staff member of your clinic has this id' }]);
    if (role && user.role !== role) throw DomainError.validation([{ field, message: `must be an ${role}` }]);
    return user;
  }
}
