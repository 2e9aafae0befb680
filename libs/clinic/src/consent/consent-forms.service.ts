import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, Clock, DomainError, ErrorCode, findInClinicOr404, TransactionRunner, type Actor, type Page } from '#platform';
import { decodeKeyCursor, ProtocolsService, toKeyPage } from '../protocols/index.js';
import { ConsentForm, type ConsentKind } from './consent-form.entity.js';
import { formView, type ConsentFormView } from './consent-views.js';

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

export type ConsentFormChanges = Partial<Omit<NewConsentForm, 'kind' | 'publish'>> & {
  /** The revision read: 409 STALE_VERSION when the draft was edited meanwhile. */
  revision: number;
};

/** clinical-rules.md section 6: 12 months unless the form says otherwise (CLINIC). */
export const DEFAULT_VALID_MONTHS = 12;

/** The clinic's consent texts, versioned per kind: a draft can be edited, a published version never changes. */
@Injectable()
export class ConsentFormsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly protocols: ProtocolsService,
  ) {}

  /** A form may only require protocols the clinic has (400 naming each unknown key). */
  private async checkProtocols(clinicId: string, keys: string[] | undefined): Promise<void> {
    if (!keys?.length) return;
    const known = new Set((await this.protocols.list(clinicId)).map((p) => p.key));
    const problems = keys.flatMap((k, i) =>
      known.has(k) ? [] : [{ field: `requiredForProtocols[${i}]`, message: `no protocol "${k}" in this clinic` }],
    );
    if (problems.length) throw DomainError.validation(problems);
  }

  async create(actor: Actor, input: NewConsentForm): Promise<ConsentFormView> {
    await this.checkProtocols(actor.clinicId, input.requiredForProtocols);
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
    await this.checkProtocols(actor.clinicId, changes.requiredForProtocols);
    return this.transactions.run(async (tx) => {
      const form = await this.inClinic(tx.manager, actor.clinicId, id, true);
      if (form.publishedAt)
        throw DomainError.conflict(ErrorCode.FormPublished, 'A published consent form is immutable; create a new version');
      if (changes.revision !== form.revision)
        throw DomainError.conflict(
          ErrorCode.StaleVersion,
          `The draft was edited meanwhile (revision ${form.revision}, you sent ${changes.revision}); read it again`,
        );
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
      const form = await this.inClinic(tx.manager, actor.clinicId, id, true);
      if (form.publishedAt) throw DomainError.conflict(ErrorCode.FormPublished, 'This consent form version is already published');
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

  /**
   * A published version no one signs any more (a signature on it is refused, 422 FORM_RETIRED); the
   * signatures already on it keep their status: only withdrawal, supersession and expiry end a
   * consent (clinical-rules.md section 6). Once; a draft is never retired.
   */
  async retire(actor: Actor, id: string, reason: string): Promise<ConsentFormView> {
    return this.transactions.run(async (tx) => {
      const form = await this.inClinic(tx.manager, actor.clinicId, id, true);
      if (!form.publishedAt)
        throw DomainError.conflict(
          ErrorCode.InvalidTransition,
          'A draft is never signed, so it is not retired: edit it or leave it unpublished',
        );
      if (form.retiredAt)
        throw DomainError.conflict(ErrorCode.FormRetired, `This form version was retired on ${form.retiredAt.toISOString()}`);
      Object.assign(form, { retiredAt: this.clock.now(), retiredBy: actor.userId, retirementReason: reason.trim() });
      await tx.manager.save(form);
      await this.audit.record(tx, {
        action: 'consent-form.retire',
        resourceType: 'consent-form',
        resourceId: id,
        changes: { kind: form.kind, version: form.version, reason: form.retirementReason },
      });
      return formView(form);
    });
  }

  /** One page of the clinic's forms by kind, newest version first; the cursor holds the last kind and version. */
  async list(actor: Actor, f: { kind?: ConsentKind; limit: number; cursor?: string }): Promise<Page<ConsentFormView>> {
    const after = decodeKeyCursor(f.cursor, { kind: 'string', version: 'number' });
    const q = this.dataSource.createQueryBuilder(ConsentForm, 'f').where('f.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (f.kind) q.andWhere('f.kind = :kind', { kind: f.kind });
    if (after)
      q.andWhere('(f.kind > :afterKind OR (f.kind = :afterKind AND f.version < :afterVersion))', {
        afterKind: after.kind,
        afterVersion: after.version,
      });
    const rows = await q
      .orderBy('f.kind', 'ASC')
      .addOrderBy('f.version', 'DESC')
      .limit(f.limit + 1)
      .getMany();
    return toKeyPage(rows, f.limit, (r) => ({ kind: r.kind, version: r.version }), formView);
  }

  async get(actor: Actor, id: string): Promise<ConsentFormView> {
    return formView(await this.inClinic(this.dataSource.manager, actor.clinicId, id));
  }

  /** The form of the clinic, or 404; `lock` holds it for an edit. */
  inClinic(m: EntityManager, clinicId: string, id: string, lock = false): Promise<ConsentForm> {
    return findInClinicOr404(m, ConsentForm, clinicId, { id }, 'Consent form', { lock });
  }

  /** Per kind, the published versions (at `at`) that require re-consent: they supersede older signatures. */
  async reconsentByKind(m: EntityManager, clinicId: string, at: Date): Promise<Map<string, number[]>> {
    const rows = await m
      .createQueryBuilder(ConsentForm, 'f')
      .where('f.clinic_id = :clinicId AND f.requires_reconsent AND f.published_at <= :at', { clinicId, at })
      .getMany();
    const map = new Map<string, number[]>();
    for (const f of rows) map.set(f.kind, [...(map.get(f.kind) ?? []), f.version]);
    return map;
  }

  async reconsentVersions(m: EntityManager, clinicId: string, kind: ConsentKind, at: Date): Promise<number[]> {
    return (await this.reconsentByKind(m, clinicId, at)).get(kind) ?? [];
  }
}
