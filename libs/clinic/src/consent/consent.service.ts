import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, Clinic, Clock, DomainError, ErrorCode, localDate, TransactionRunner, User, type Actor } from '#platform';
import { FollowUpsService } from '../follow-ups/follow-ups.service.js';
import { PatientsService } from '../patients/patients.service.js';
import { ProtocolsService } from '../protocols/protocols.service.js';
import { ClinicEventBus } from '../events/clinic-event-bus.js';
import { ClinicSettingsService } from '../settings/clinic-settings.service.js';
import { ConsentForm, type ConsentKind } from './consent-form.entity.js';
import { addMonths, consentStatus, type ConsentStatus } from './consent-status.js';
import { PatientConsent, type ConsentMethod } from './patient-consent.entity.js';

export interface NewConsentForm {
  kind: ConsentKind;
  title: string;
  body: string;
  requiredForProtocols?: string[];
  validMonths?: number;
  requiresReconsent?: boolean;
  /** false keeps it a draft that can still be edited. Default true. */
  publish?: boolean;
}

export type ConsentFormChanges = Partial<Omit<NewConsentForm, 'kind' | 'publish'>>;

export interface NewSignature {
  formId: string;
  signedAt: Date;
  signedByName: string;
  method: ConsentMethod;
  witnessUserId?: string;
  prescriberUserId?: string;
  prescriberSignedAt?: Date;
}

export interface ConsentFormView {
  id: string;
  kind: ConsentKind;
  version: number;
  title: string;
  body: string;
  requiredForProtocols: string[];
  validMonths: number;
  requiresReconsent: boolean;
  status: 'draft' | 'published';
  publishedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export interface ConsentView {
  id: string;
  patientId: string;
  formId: string;
  kind: ConsentKind;
  formVersion: number;
  status: ConsentStatus;
  signedByName: string;
  signedAt: string;
  method: ConsentMethod;
  witnessUserId: string;
  prescriberUserId: string | null;
  prescriberSignedAt: string | null;
  expiresAt: string;
  recordedBy: string;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawalReason: string | null;
}

/** clinical-rules.md section 6: 12 months unless the form says otherwise (CLINIC). */
export const DEFAULT_VALID_MONTHS = 12;
const REMS_KIND: ConsentKind = 'esketamine-rems-enrollment';
const FUTURE_TOLERANCE_MS = 2 * 60_000;

const formView = (f: ConsentForm): ConsentFormView => ({
  id: f.id,
  kind: f.kind,
  version: f.version,
  title: f.title,
  body: f.body,
  requiredForProtocols: f.requiredForProtocols,
  validMonths: f.validMonths,
  requiresReconsent: f.requiresReconsent,
  status: f.publishedAt ? 'published' : 'draft',
  publishedAt: f.publishedAt?.toISOString() ?? null,
  createdBy: f.createdBy,
  createdAt: f.createdAt.toISOString(),
});

@Injectable()
export class ConsentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patients: PatientsService,
    private readonly followUps: FollowUpsService,
    private readonly events: ClinicEventBus,
    private readonly protocols: ProtocolsService,
    private readonly settings: ClinicSettingsService,
  ) {}

  async createForm(actor: Actor, input: NewConsentForm): Promise<ConsentFormView> {
    return this.transactions.run(async (tx) => {
      // Versions are numbered per (clinic, kind): serialise their creation.
      await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`consent-form:${actor.clinicId}:${input.kind}`]);
      const { max } = (await tx.manager
        .createQueryBuilder(ConsentForm, 'f')
        .select('COALESCE(MAX(f.version), 0)', 'max')
        .where('f.clinic_id = :clinicId AND f.kind = :kind', { clinicId: actor.clinicId, kind: input.kind })
        .getRawOne<{ max: number }>()) ?? { max: 0 };
      const form = await tx.manager.save(
        tx.manager.create(ConsentForm, {
          clinicId: actor.clinicId,
          kind: input.kind,
          version: Number(max) + 1,
          title: input.title.trim(),
          body: input.body,
          requiredForProtocols: input.requiredForProtocols ?? [],
          validMonths: input.validMonths ?? DEFAULT_VALID_MONTHS,
          requiresReconsent: input.requiresReconsent ?? false,
          publishedAt: input.publish === false ? null : this.clock.now(),
          createdBy: actor.userId,
        }),
      );
      await this.audit.record(tx, {
        action: 'consent-form.create',
        resourceType: 'consent-form',
        resourceId: form.id,
        changes: { kind: form.kind, version: form.version, title: form.title, published: Boolean(form.publishedAt) },
      });
      return formView(form);
    });
  }

  /** Edits a draft; a published version answers 409 FORM_PUBLISHED (it is immutable). */
  async editDraft(actor: Actor, id: string, changes: ConsentFormChanges): Promise<ConsentFormView> {
    return this.transactions.run(async (tx) => {
      const form = await this.formInClinic(tx.manager, actor.clinicId, id, true);
      if (form.publishedAt) throw DomainError.conflict('FORM_PUBLISHED', 'A published consent form is immutable; create a new version');
      const before = formView(form);
      Object.assign(form, {
        ...(changes.title !== undefined && { title: changes.title.trim() }),
        ...(changes.body !== undefined && { body: changes.body }),
        ...(changes.requiredForProtocols !== undefined && { requiredForProtocols: changes.requiredForProtocols }),
        ...(changes.validMonths !== undefined && { validMonths: changes.validMonths }),
        ...(changes.requiresReconsent !== undefined && { requiresReconsent: changes.requiresReconsent }),
      });
      await tx.manager.save(form);
      await this.audit.record(tx, {
        action: 'consent-form.edit',
        resourceType: 'consent-form',
        resourceId: id,
        changes: { before, after: formView(form) },
      });
      return formView(form);
    });
  }

  async publish(actor: Actor, id: string): Promise<ConsentFormView> {
    return this.transactions.run(async (tx) => {
      const form = await this.formInClinic(tx.manager, actor.clinicId, id, true);
      if (form.publishedAt) throw DomainError.conflict('FORM_PUBLISHED', 'This consent form version is already published');
      form.publishedAt = this.clock.now();
      await tx.manager.save(form);
      await this.audit.record(tx, {
        action: 'consent-form.publish',
        resourceType: 'consent-form',
        resourceId: id,
        changes: { kind: form.kind, version: form.version, requiresReconsent: form.requiresReconsent },
      });
      return formView(form);
    });
  }

  async listForms(actor: Actor, kind?: ConsentKind): Promise<ConsentFormView[]> {
    const forms = await this.dataSource.getRepository(ConsentForm).find({
      where: { clinicId: actor.clinicId, ...(kind && { kind }) },
      order: { kind: 'ASC', version: 'DESC' },
    });
    return forms.map(formView);
  }

  async getForm(actor: Actor, id: string): Promise<ConsentFormView> {
    return formView(await this.formInClinic(this.dataSource.manager, actor.clinicId, id));
  }

  /** Records a signature on one exact, published form version. */
  async record(actor: Actor, patientId: string, input: NewSignature): Promise<ConsentView> {
    const now = this.clock.now();
    const problems = [];
    if (input.signedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
      problems.push({ field: 'signedAt', message: 'must not be in the future' });
    if (input.prescriberSignedAt && input.prescriberSignedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
      problems.push({ field: 'prescriberSignedAt', message: 'must not be in the future' });
    if (problems.length) throw DomainError.validation(problems);
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      await this.patients.findInClinic(m, actor.clinicId, patientId, true);
      const form = await this.formInClinic(m, actor.clinicId, input.formId).catch(() => {
        throw DomainError.validation([{ field: 'formId', message: 'no consent form with this id in your clinic' }]);
      });
      if (!form.publishedAt) throw DomainError.validation([{ field: 'formId', message: 'this form version is a draft; publish it first' }]);
      if (input.signedAt < form.publishedAt)
        throw DomainError.validation([{ field: 'signedAt', message: 'is before this form version was published' }]);
      const newer = await this.reconsentVersions(m, actor.clinicId, form.kind, now);
      if (newer.some((v) => v > form.version)) {
        throw DomainError.rulesUnmet(ErrorCode.RuleUnmet, 'This form version has been superseded', [
          { code: 'FORM_SUPERSEDED', message: `version ${form.version} requires re-consent on a newer version`, overridable: false },
        ]);
      }
      const witnessUserId = input.witnessUserId ?? actor.userId;
      await this.staffInClinic(m, actor.clinicId, witnessUserId, 'witnessUserId');
      let prescriberUserId: string | null = null;
      let prescriberSignedAt: Date | null = null;
      if (form.kind === REMS_KIND) {
        // Spravato REMS: patient and prescriber both sign the enrollment before the first dose.
        if (!input.prescriberUserId)
          throw DomainError.validation([{ field: 'prescriberUserId', message: 'the REMS enrollment is signed by the prescriber too' }]);
        await this.staffInClinic(m, actor.clinicId, input.prescriberUserId, 'prescriberUserId', 'anesthesiologist');
        prescriberUserId = input.prescriberUserId;
        prescriberSignedAt = input.prescriberSignedAt ?? input.signedAt;
      } else if (input.prescriberUserId) {
        throw DomainError.validation([{ field: 'prescriberUserId', message: `only the ${REMS_KIND} form has a prescriber signature` }]);
      }
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
          witnessUserId,
          prescriberUserId,
          prescriberSignedAt,
          expiresAt: addMonths(input.signedAt, form.validMonths),
          recordedBy: actor.userId,
        }),
      );
      // Section 7: a reminder task before it expires; an older consent of the same kind no longer needs one.
      for (const older of await m.find(PatientConsent, { where: { patientId, kind: form.kind }, select: { id: true } }))
        if (older.id !== consent.id)
          await this.followUps.closeOpen(
            tx,
            { patientId, kind: 'consent-expiry', subjectId: older.id },
            { status: 'cancelled', note: `a new ${form.kind} consent was signed`, by: actor.userId },
          );
      const reminderDays = (await this.settings.forClinic(actor.clinicId, m)).consentExpiryReminderDays;
      const clinic = await m.findOneByOrFail(Clinic, { id: actor.clinicId });
      await this.followUps.create(tx, {
        clinicId: actor.clinicId,
        patientId,
        kind: 'consent-expiry',
        subjectType: 'consent',
        subjectId: consent.id,
        title: `The ${form.kind} consent expires on ${localDate(consent.expiresAt, clinic.timeZone)}: arrange re-consent`,
        dueAt: new Date(Math.max(consent.expiresAt.getTime() - reminderDays * 86_400_000, now.getTime())),
        assigneeRole: 'admin',
      });
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
      return this.view(consent, newer, now);
    });
  }

  async list(actor: Actor, patientId: string): Promise<ConsentView[]> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      await this.patients.findInClinic(tx.manager, actor.clinicId, patientId);
      await this.audit.record(tx, { action: 'patient.consents.read', resourceType: 'patient', resourceId: patientId });
      const rows = await tx.manager.find(PatientConsent, { where: { patientId }, order: { signedAt: 'DESC', id: 'DESC' } });
      const reconsent = await this.reconsentByKind(tx.manager, actor.clinicId, now);
      return rows.map((c) => this.view(c, reconsent.get(c.kind) ?? [], now));
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
      if (result.affected !== 1) throw DomainError.conflict('ALREADY_WITHDRAWN', 'This consent was already withdrawn');
      Object.assign(consent, { withdrawnAt: now, withdrawnBy: actor.userId, withdrawalReason: reason.trim() });
      await this.followUps.closeOpen(
        tx,
        { patientId, kind: 'consent-expiry', subjectId: consentId },
        { status: 'cancelled', note: 'consent withdrawn', by: actor.userId },
      );
      // Maintenance of a protocol that needs this consent stops proposing sessions (section 7).
      const needing = (await this.protocols.list(actor.clinicId))
        .filter((p) => p.requiredConsentKinds.includes(consent.kind))
        .map((p) => p.key);
      const effects = await this.events.publish(tx, 'ConsentWithdrawn', {
        clinicId: actor.clinicId,
        actor,
        at: now,
        patientId,
        consentId,
        kind: consent.kind,
        protocolKeys: needing,
      });
      const flagged = effects.reduce((n, e) => n + e.appointmentsFlagged, 0);
      const stoppedSeries = effects.flatMap((e) => e.stoppedSeries);
      const title = `${patient.firstName} ${patient.lastName} (MRN ${patient.mrn}) withdrew ${consent.kind} consent: review ${flagged} upcoming appointment(s)`;
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
      // The follow-up itself tells the administrators (an email each, in the outbox).
      await this.audit.record(tx, {
        action: 'consent.withdraw',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { consentId, kind: consent.kind, reason: reason.trim(), followUpId: task.id, appointmentsFlagged: flagged, stoppedSeries },
      });
      return this.view(consent, await this.reconsentVersions(m, actor.clinicId, consent.kind, now), now);
    });
  }

  /** The patient's active consent of `kind` at `at`, or null: what the session start asks. */
  async activeConsent(
    manager: EntityManager,
    clinicId: string,
    patientId: string,
    kind: ConsentKind,
    at: Date,
  ): Promise<PatientConsent | null> {
    return manager
      .createQueryBuilder(PatientConsent, 'c')
      .where('c.clinic_id = :clinicId AND c.patient_id = :patientId AND c.kind = :kind', { clinicId, patientId, kind })
      .andWhere('c.signed_at <= :at AND c.expires_at > :at AND (c.withdrawn_at IS NULL OR c.withdrawn_at > :at)', { at })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM consent_forms f WHERE f.clinic_id = c.clinic_id AND f.kind = c.kind
           AND f.version > c.form_version AND f.requires_reconsent AND f.published_at <= :at)`,
      )
      .orderBy('c.signed_at', 'DESC')
      .limit(1)
      .getOne();
  }

  /** Of `kinds`, those the patient has no active consent for at `at`. */
  async missingKinds(manager: EntityManager, clinicId: string, patientId: string, kinds: string[], at: Date): Promise<string[]> {
    const missing: string[] = [];
    for (const kind of kinds) {
      if (!(await this.activeConsent(manager, clinicId, patientId, kind as ConsentKind, at))) missing.push(kind);
    }
    return missing;
  }

  private async reconsentVersions(m: EntityManager, clinicId: string, kind: ConsentKind, at: Date): Promise<number[]> {
    return (await this.reconsentByKind(m, clinicId, at)).get(kind) ?? [];
  }

  private async reconsentByKind(m: EntityManager, clinicId: string, at: Date): Promise<Map<string, number[]>> {
    const rows = await m
      .createQueryBuilder(ConsentForm, 'f')
      .where('f.clinic_id = :clinicId AND f.requires_reconsent AND f.published_at <= :at', { clinicId, at })
      .getMany();
    const map = new Map<string, number[]>();
    for (const f of rows) map.set(f.kind, [...(map.get(f.kind) ?? []), f.version]);
    return map;
  }

  private async formInClinic(m: EntityManager, clinicId: string, id: string, lock = false): Promise<ConsentForm> {
    const q = m.createQueryBuilder(ConsentForm, 'f').where('f.id = :id AND f.clinic_id = :clinicId', { id, clinicId });
    if (lock) q.setLock('pessimistic_write');
    const form = await q.getOne();
    if (!form) throw DomainError.notFound('Consent form');
    return form;
  }

  private async staffInClinic(m: EntityManager, clinicId: string, userId: string, field: string, role?: 'anesthesiologist'): Promise<User> {
    const user = await m.findOneBy(User, { id: userId, clinicId, active: true });
    if (!user) throw DomainError.validation([{ field, message: 'no active staff member of your clinic has this id' }]);
    if (role && user.role !== role) throw DomainError.validation([{ field, message: `must be an ${role}` }]);
    return user;
  }

  private view(c: PatientConsent, reconsentVersions: number[], now: Date): ConsentView {
    return {
      id: c.id,
      patientId: c.patientId,
      formId: c.formId,
      kind: c.kind,
      formVersion: c.formVersion,
      status: consentStatus(c, reconsentVersions, now),
      signedByName: c.signedByName,
      signedAt: c.signedAt.toISOString(),
      method: c.method,
      witnessUserId: c.witnessUserId,
      prescriberUserId: c.prescriberUserId,
      prescriberSignedAt: c.prescriberSignedAt?.toISOString() ?? null,
      expiresAt: c.expiresAt.toISOString(),
      recordedBy: c.recordedBy,
      withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
      withdrawnBy: c.withdrawnBy,
      withdrawalReason: c.withdrawalReason,
    };
  }
}
