import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, DomainError, ErrorCode, TransactionRunner, type Actor, type FieldProblem, type Page } from '#platform';
import { ClinicEventBus } from '../events/index.js';
import { decodeKeyCursor, toKeyPage } from './list-cursor.js';
import { thresholdProblems } from './threshold-rules.js';
import type { ProtocolDefinition } from './protocol-definition.js';
import { ProtocolVersion } from './protocol.entity.js';

/** The editable part of a protocol; omitted fields keep their value. */
export type ProtocolChanges = Partial<Omit<ProtocolDefinition, 'sources' | 'route' | 'doseRule'>> & {
  doseRule?: ProtocolDefinition['doseRule'];
};

const EDITABLE: (keyof ProtocolChanges)[] = [
  'name',
  'doseRule',
  'doseLimits',
  'durationMin',
  'minObservationMin',
  'observationFrom',
  'minAgeYears',
  'weightMaxAgeDays',
  'vitals',
  'preSession',
  'requiredConsentKinds',
  'absoluteContraindications',
  'induction',
  'maintenance',
  'thresholds',
];

const VERSION_CACHE_SIZE = 1000;

export type ProtocolPage = Page<ProtocolVersion>;

@Injectable()
export class ProtocolsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly events: ClinicEventBus,
  ) {}

  /** The version a clinic uses now: its own latest edit, else Vigil's latest default. */
  async effective(clinicId: string, key: string, manager: EntityManager = this.dataSource.manager): Promise<ProtocolVersion> {
    const found = await manager
      .createQueryBuilder(ProtocolVersion, 'p')
      .where('p.key = :key AND (p.clinic_id = :clinicId OR p.clinic_id IS NULL)', { key, clinicId })
      .orderBy('p.clinic_id', 'ASC', 'NULLS LAST')
      .addOrderBy('p.version', 'DESC')
      .limit(1)
      .getOne();
    if (!found) throw DomainError.notFound('Protocol');
    return found;
  }

  /** The version each protocol is at in the clinic, by key. */
  async list(clinicId: string, manager: EntityManager = this.dataSource.manager): Promise<ProtocolVersion[]> {
    return this.current(clinicId, manager).getMany();
  }

  /** One page of `list`: the cursor holds the last key. */
  async page(clinicId: string, page: { limit: number; cursor?: string }): Promise<ProtocolPage> {
    const after = decodeKeyCursor(page.cursor, { key: 'string' });
    const q = this.current(clinicId);
    if (after) q.andWhere('p.key > :afterKey', { afterKey: after.key });
    const rows = await q.limit(page.limit + 1).getMany();
    return toKeyPage(
      rows,
      page.limit,
      (p) => ({ key: p.key }),
      (p) => p,
    );
  }

  private current(clinicId: string, manager: EntityManager = this.dataSource.manager) {
    return manager
      .createQueryBuilder(ProtocolVersion, 'p')
      .distinctOn(['p.key'])
      .where('(p.clinic_id = :clinicId OR p.clinic_id IS NULL)', { clinicId })
      .orderBy('p.key', 'ASC')
      .addOrderBy('p.clinic_id', 'ASC', 'NULLS LAST')
      .addOrderBy('p.version', 'DESC');
  }

  /** A protocol version by id, as a session that started on it will ask. */
  async version(clinicId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<ProtocolVersion> {
    const cached = this.versions.get(id);
    if (cached && (cached.clinicId === null || cached.clinicId === clinicId)) return cached;
    const found = await manager
      .createQueryBuilder(ProtocolVersion, 'p')
      .where('p.id = :id AND (p.clinic_id = :clinicId OR p.clinic_id IS NULL)', { id, clinicId })
      .getOne();
    if (!found) throw DomainError.notFound('Protocol version');
    if (this.versions.size >= VERSION_CACHE_SIZE) this.versions.clear();
    this.versions.set(id, found);
    return found;
  }

  /** A version is never changed once written (an edit writes the next one): every reading's judge reads it from here. */
  private readonly versions = new Map<string, ProtocolVersion>();

  /** An edit's thresholds that are not a threshold set, named by path (the other fields' rules need the current version). */
  changeProblems(changes: Partial<ProtocolChanges>): FieldProblem[] {
    return changes.thresholds === undefined ? [] : thresholdProblems(changes.thresholds, 'thresholds', true);
  }

  /**
   * Writes the clinic's next version with the changes; audited with old and new values and the
   * reason. `expectedVersion` guards against two clinicians editing at once (409 STALE_VERSION).
   */
  async edit(actor: Actor, key: string, changes: ProtocolChanges, reason: string, expectedVersion?: number): Promise<ProtocolVersion> {
    const problems = this.changeProblems(changes);
    if (problems.length) throw DomainError.validation(problems);
    return this.transactions.run(async (tx) => {
      // Serialise edits of one protocol in one clinic; the unique index is the backstop.
      await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`protocol:${actor.clinicId}:${key}`]);
      const current = await this.effective(actor.clinicId, key, tx.manager);
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw DomainError.conflict(
          ErrorCode.StaleVersion,
          `Protocol ${key} is at version ${current.version}; you edited version ${expectedVersion}`,
        );
      }
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      const next = tx.manager.create(ProtocolVersion, { ...current, id: undefined, createdAt: undefined });
      for (const field of EDITABLE) {
        const value = changes[field];
        if (value === undefined) continue;
        if (JSON.stringify(value) === JSON.stringify(current[field])) continue;
        before[field] = current[field];
        after[field] = value;
        Object.assign(next, { [field]: value });
      }
      if (Object.keys(after).length === 0) {
        throw DomainError.validation([{ field: 'body', message: 'nothing to change: every value equals the current version' }]);
      }
      checkRules(current, next);
      if (after.thresholds !== undefined) {
        // The effective thresholds (clinic + these overrides + each patient's) must still warn before they are critical.
        const replies = await this.events.publish(tx, 'ProtocolThresholdsEditing', {
          clinicId: actor.clinicId,
          actor,
          at: new Date(),
          protocolKey: key,
          thresholds: next.thresholds,
        });
        const problems = replies.flat();
        if (problems.length) throw DomainError.validation(problems);
      }
      next.clinicId = actor.clinicId;
      next.version = current.version + 1;
      next.reason = reason;
      next.createdBy = actor.userId;
      next.sources = { ...current.sources, ...Object.fromEntries(Object.keys(after).map((f) => [f, `edited by the clinic: ${reason}`])) };
      const saved = await tx.manager.save(ProtocolVersion, next);
      await this.audit.record(tx, {
        action: 'protocol.edit',
        resourceType: 'protocol',
        resourceId: saved.id,
        changes: { key, fromVersion: current.version, toVersion: saved.version, reason, before, after },
      });
      return saved;
    });
  }
}

/** Edits the label forbids, and combinations that make no sense. */
function checkRules(current: ProtocolVersion, next: ProtocolVersion): void {
  const problems: { code: string; message: string; overridable: false }[] = [];
  if (current.observationFloorMin !== null && next.minObservationMin < current.observationFloorMin) {
    problems.push({
      code: 'OBSERVATION_BELOW_LABEL',
      message: `minimum observation cannot go below ${current.observationFloorMin} min (Spravato label)`,
      overridable: false,
    });
  }
  for (const [path, source] of Object.entries(current.sources)) {
    if (!source.startsWith('LABEL:')) continue;
    if (JSON.stringify(valueAt(current, path)) !== JSON.stringify(valueAt(next, path))) {
      problems.push({ code: 'LABEL_LOCKED', message: `${path} comes from the label and cannot be edited (${source})`, overridable: false });
    }
  }
  if (next.doseRule.kind !== current.doseRule.kind) {
    problems.push({ code: 'DOSE_RULE_KIND_CHANGED', message: `the dose rule stays ${current.doseRule.kind}`, overridable: false });
  }
  if (next.doseRule.kind === 'weight-based' && !next.doseLimits) {
    problems.push({ code: 'DOSE_LIMITS_REQUIRED', message: 'a weight-based protocol needs dose limits', overridable: false });
  }
  if (next.doseRule.kind === 'weight-based' && next.doseLimits) {
    const { minMgPerKg, maxMgPerKg } = next.doseLimits;
    if (minMgPerKg > maxMgPerKg)
      problems.push({ code: 'DOSE_LIMITS_INVERTED', message: 'doseLimits.minMgPerKg is above maxMgPerKg', overridable: false });
    for (const step of next.doseRule.steps) {
      if (step.mgPerKg < minMgPerKg || step.mgPerKg > maxMgPerKg)
        problems.push({
          code: 'DOSE_RULE_OUTSIDE_LIMITS',
          message: `dose rule step ${step.mgPerKg} mg/kg is outside ${minMgPerKg}–${maxMgPerKg} mg/kg`,
          overridable: false,
        });
    }
  }
  if (problems.length) throw DomainError.rulesUnmet(ErrorCode.RuleUnmet, 'The protocol edit breaks a rule', problems);
}

function valueAt(root: object, path: string): unknown {
  let value: unknown = root;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
