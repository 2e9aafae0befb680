import { Injectable } from '@nestjs/common';
import { DataSource, In, QueryFailedError, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clinic,
  Clock,
  DomainError,
  ErrorCode,
  findInClinicOr404,
  keysetPage,
  localDate,
  PendingWorkService,
  TransactionRunner,
  WitnessVerifier,
  type Actor,
  type FieldProblem,
  type Page,
  type Tx,
  type WitnessSignature,
} from '#platform';
import { ClinicSettingsService } from '../settings/index.js';
import { openDiscrepancy } from './discrepancies.js';
import { CsInventory } from './inventory.entity.js';
import { inventoryView, type InventoryView } from './inventory-view.js';
import { appendEvent, chartedAt, containerLabel, lockContainer } from './ledger-book.js';
import { qty } from './quantities.js';
import { scheduleReminders } from './reminder-schedule.js';
import { inventoryMilestones } from './reminders.js';
import { CsProduct, CsRegistration } from './registry.entity.js';
import { CsContainer } from './stock.entity.js';
import { countMethod, varianceTolerated } from './tolerance.js';
import type { InventoryKind, InventoryTime } from './vocabulary.js';

/** Who may witness an inventory: clinical staff at the cabinet, as for a count. */
const WITNESSES = ['nurse', 'anesthesiologist'] as const;

export interface InventoryLineInput {
  containerId: string;
  unit: 'mL' | 'device';
  /** What was counted or measured, in the container's unit. */
  quantity: number;
}

export interface InventoryInput {
  registrationId: string;
  kind: InventoryKind;
  timeOfDay: InventoryTime;
  /** Every container of the registration in stock, once. */
  lines: InventoryLineInput[];
  witness: WitnessSignature;
  occurredAt?: Date;
  note?: string | null;
}

/**
 * Inventories of everything on hand under a registration (21 CFR 1304.11), taken by a nurse or an
 * anesthesiologist and signed by a witness with their password. Each container is a blind count:
 * sealed containers and devices counted, an opened vial an estimated measure (1304.11(e)(3)); a line
 * unlike the ledger's balance opens a discrepancy. An initial or biennial inventory schedules the
 * next biennial one's reminders.
 */
@Injectable()
export class LedgerInventoriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly witnesses: WitnessVerifier,
    private readonly pendingWork: PendingWorkService,
    private readonly settings: ClinicSettingsService,
  ) {}

  async take(actor: Actor, input: InventoryInput): Promise<InventoryView> {
    const ids = input.lines.map((l) => l.containerId);
    if (new Set(ids).size !== ids.length) throw DomainError.validation([{ field: 'lines', message: 'a container is listed twice' }]);
    const witness = await this.witnesses.verify(actor, input.witness, WITNESSES, 'controlled-substance inventory');
    const now = this.clock.now();
    const at = chartedAt(input.occurredAt, now);
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const registration = await lockedRegistration(m, actor.clinicId, input.registrationId);
      await this.kindProblems(m, registration.id, input.kind);
      const containers = await this.lockLines(m, actor, registration.id, input.lines);
      const clinic = await m.findOneByOrFail(Clinic, { id: actor.clinicId });
      const inventory = m.create(CsInventory, {
        clinicId: actor.clinicId,
        registrationId: registration.id,
        kind: input.kind,
        takenAt: at,
        takenOn: localDate(at, clinic.timeZone),
        timeOfDay: input.timeOfDay,
        takenBy: actor.userId,
        witnessUserId: witness.userId,
        note: input.note?.trim() || null,
      });
      await m.insert(CsInventory, inventory).catch((err: unknown) => {
        if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505')
          throw DomainError.conflict(ErrorCode.DuplicateKey, 'This registration has its initial inventory already', [
            { field: 'kind', message: 'initial: already taken' },
          ]);
        throw err;
      });
      const { csEstimateToleranceMl } = await this.settings.forClinic(actor.clinicId, m);
      const counted = [];
      for (const line of input.lines)
        counted.push(await this.countLine(tx, actor, inventory, containers.get(line.containerId)!, line.quantity, csEstimateToleranceMl));
      if (input.kind !== 'ad-hoc')
        await scheduleReminders(
          tx,
          this.pendingWork,
          { clinicId: actor.clinicId, registrationId: registration.id, basis: inventory.takenOn },
          inventoryMilestones(inventory.takenOn, clinic.timeZone),
        );
      await this.audit.record(tx, {
        action: 'ledger.inventory',
        resourceType: 'cs_inventory',
        resourceId: inventory.id,
        changes: {
          kind: input.kind,
          registrationId: registration.id,
          takenOn: inventory.takenOn,
          timeOfDay: input.timeOfDay,
          witnessUserId: witness.userId,
          lines: counted,
        },
      });
      return inventoryView(m, await m.findOneByOrFail(CsInventory, { id: inventory.id }));
    });
  }

  async list(actor: Actor, f: { registrationId?: string; limit: number; cursor?: string }): Promise<Page<InventoryView>> {
    const q = this.dataSource.createQueryBuilder(CsInventory, 'i').where('i.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (f.registrationId) q.andWhere('i.registration_id = :registrationId', { registrationId: f.registrationId });
    const page = await keysetPage(q, {
      sortColumn: 'i.taken_at',
      idColumn: 'i.id',
      order: 'DESC',
      limit: f.limit,
      cursor: f.cursor,
      key: (i) => ({ at: i.takenAt, id: i.id }),
      view: (i) => i,
    });
    const items: InventoryView[] = [];
    for (const i of page.items) items.push(await inventoryView(this.dataSource.manager, i));
    return { items, nextCursor: page.nextCursor };
  }

  async get(actor: Actor, id: string): Promise<InventoryView> {
    const i = await findInClinicOr404(this.dataSource.manager, CsInventory, actor.clinicId, { id }, 'Inventory');
    return inventoryView(this.dataSource.manager, i);
  }

  /** The first inventory of a registration is its initial one, and there is one only (422). */
  private async kindProblems(m: EntityManager, registrationId: string, kind: InventoryKind): Promise<void> {
    const taken = await m.countBy(CsInventory, { registrationId });
    if (taken === 0 && kind !== 'initial')
      throw DomainError.firstRuleUnmet('Take the initial inventory first', [
        {
          code: 'CS_INITIAL_INVENTORY_FIRST',
          message: 'this registration has no inventory yet: its first is the initial inventory (21 CFR 1304.11(b))',
          overridable: false,
        },
      ]);
    if (taken > 0 && kind === 'initial')
      throw DomainError.firstRuleUnmet('The initial inventory was taken', [
        {
          code: 'CS_INITIAL_INVENTORY_TAKEN',
          message: 'this registration has its initial inventory already: take a biennial or an ad hoc one',
          overridable: false,
        },
      ]);
  }

  /**
   * The lines' containers, locked in a fixed order: each must be the registration's and in stock, in
   * the container's unit, and every container in stock must be listed (400 naming the line or `lines`).
   */
  private async lockLines(
    m: EntityManager,
    actor: Actor,
    registrationId: string,
    lines: InventoryLineInput[],
  ): Promise<Map<string, CsContainer>> {
    const inStock = await m.find(CsContainer, {
      where: { registrationId, status: In(['sealed', 'open', 'quarantined']) },
      order: { lot: 'ASC', seq: 'ASC' },
    });
    const stocked = new Set(inStock.map((c) => c.id));
    const problems: FieldProblem[] = [];
    lines.forEach((l, i) => {
      if (!stocked.has(l.containerId))
        problems.push({ field: `lines[${i}].containerId`, message: 'no container of this registration in stock has this id' });
    });
    const listed = new Set(lines.map((l) => l.containerId));
    const missing = inStock.filter((c) => !listed.has(c.id)).map(containerLabel);
    if (missing.length)
      problems.push({
        field: 'lines',
        message: `every container in stock is inventoried (0 when not found): missing ${missing.join(', ')}`,
      });
    if (problems.length) throw DomainError.validation(problems);
    const locked = new Map<string, CsContainer>();
    for (const id of [...listed].sort()) locked.set(id, await lockContainer(m, actor.clinicId, id));
    const products = await m.findBy(CsProduct, { id: In([...new Set(inStock.map((c) => c.productId))]) });
    const unitOf = new Map(products.map((p) => [p.id, p.unit]));
    lines.forEach((l, i) => {
      const unit = unitOf.get(locked.get(l.containerId)!.productId);
      if (unit !== l.unit)
        problems.push({ field: `lines[${i}].unit`, message: `${containerLabel(locked.get(l.containerId)!)} is counted in ${unit}` });
    });
    if (problems.length) throw DomainError.validation(problems);
    return locked;
  }

  /** One line: a witnessed `count` event of the inventory; a variance the clinic does not tolerate opens a discrepancy. */
  private async countLine(tx: Tx, actor: Actor, inv: CsInventory, c: CsContainer, found: number, toleranceMl: number) {
    const m = tx.manager;
    const product = await m.findOneByOrFail(CsProduct, { id: c.productId });
    const sealed = c.openedAt === null;
    const method = countMethod(sealed, product.unit);
    const expected = c.balance;
    const variance = qty(found - expected);
    const event = await appendEvent(m, c, product, {
      kind: 'count',
      occurredAt: inv.takenAt,
      actorUserId: actor.userId,
      witnessUserId: inv.witnessUserId,
      quantity: found,
      quantityMg: qty(found * product.mgPerUnit),
      delta: 0,
      inventoryId: inv.id,
      data: { expected, variance, method, sealed, inventoryId: inv.id },
    });
    const discrepancy = varianceTolerated(method, product.unit, variance, toleranceMl)
      ? null
      : await openDiscrepancy(
          tx,
          { pendingWork: this.pendingWork, settings: this.settings },
          {
            clinicId: c.clinicId,
            registrationId: c.registrationId,
            kind: 'count-variance',
            containerId: c.id,
            eventId: event.id,
            expected,
            found,
            unit: product.unit,
            openedBy: actor.userId,
            at: this.clock.now(),
          },
        );
    return { containerId: c.id, method, found, expected, variance, discrepancyId: discrepancy?.id ?? null };
  }
}

/** The clinic's registration the inventory is taken under, locked so two inventories of it queue; 400 naming `registrationId` otherwise. */
async function lockedRegistration(m: EntityManager, clinicId: string, id: string): Promise<CsRegistration> {
  const registration = await m.findOne(CsRegistration, { where: { id, clinicId }, lock: { mode: 'pessimistic_write' } });
  if (!registration) throw DomainError.validation([{ field: 'registrationId', message: 'no DEA registration of your clinic has this id' }]);
  return registration;
}
