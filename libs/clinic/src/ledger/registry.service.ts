import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clinic,
  DomainError,
  ErrorCode,
  findInClinicOr404,
  keysetPage,
  PendingWorkService,
  TransactionRunner,
  type Actor,
  type Page,
  type Tx,
} from '#platform';
import { deaNumberProblem } from './dea-number.js';
import { ndc11, NDC_SHAPES } from './ndc.js';
import { scheduleReminders } from './reminder-schedule.js';
import { registrationMilestones } from './reminders.js';
import { CsProduct, CsRegistration, type DeaSchedule } from './registry.entity.js';
import { productView, registrationView, type ProductView, type RegistrationView } from './views.js';

export interface RegistrationInput {
  deaNumber: string;
  registrantName: string;
  address: string;
  schedules: DeaSchedule[];
  expiresOn: string;
  stateLicenseNumber?: string | null;
}

export type RegistrationChanges = Partial<RegistrationInput> & { version: number };

export interface ProductInput {
  name: string;
  substance: 'ketamine' | 'esketamine';
  ndc?: string | null;
  /** A solution for injection, counted in mL. */
  strengthMgPerMl?: number | null;
  /** A nasal spray, counted in devices. */
  mgPerDevice?: number | null;
  unitsPerContainer: number;
  containerKind: 'vial' | 'kit';
}

const duplicate = (err: unknown, field: string, message: string): never => {
  if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505')
    throw DomainError.conflict(ErrorCode.DuplicateKey, message, [{ field, message }]);
  throw err;
};

/**
 * The clinic's DEA registrations (administrators) and the products it handles (Vigil's and its own).
 * A registration's expiry schedules its renewal reminder and its lapse alert (pending-work rows).
 */
@Injectable()
export class LedgerRegistryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly pendingWork: PendingWorkService,
  ) {}

  async register(actor: Actor, input: RegistrationInput): Promise<RegistrationView> {
    const problem = deaNumberProblem(input.deaNumber);
    if (problem) throw DomainError.validation([{ field: 'deaNumber', message: problem }]);
    return this.transactions.run(async (tx) => {
      const row = tx.manager.create(CsRegistration, {
        ...input,
        registrantName: input.registrantName.trim(),
        address: input.address.trim(),
        schedules: [...new Set(input.schedules)],
        stateLicenseNumber: input.stateLicenseNumber?.trim() || null,
        clinicId: actor.clinicId,
        createdBy: actor.userId,
      });
      await tx.manager
        .insert(CsRegistration, row)
        .catch((err) => duplicate(err, 'deaNumber', 'This DEA number is already registered here'));
      await this.remindOfExpiry(tx, row);
      await this.audit.record(tx, {
        action: 'ledger.registration.create',
        resourceType: 'cs_registration',
        resourceId: row.id,
        changes: { ...input },
      });
      return registrationView(await tx.manager.findOneByOrFail(CsRegistration, { id: row.id }));
    });
  }

  /** A renewal (a new expiry), a move or a change of schedules; `version` guards against a concurrent edit. */
  async update(actor: Actor, id: string, changes: RegistrationChanges): Promise<RegistrationView> {
    if (changes.deaNumber !== undefined) {
      const problem = deaNumberProblem(changes.deaNumber);
      if (problem) throw DomainError.validation([{ field: 'deaNumber', message: problem }]);
    }
    return this.transactions.run(async (tx) => {
      const row = await findInClinicOr404(tx.manager, CsRegistration, actor.clinicId, { id }, 'Registration', { lock: true });
      if (row.version !== changes.version)
        throw DomainError.conflict(ErrorCode.StaleVersion, 'The registration changed since you read it', [
          { field: 'version', message: `now ${row.version}` },
        ]);
      const { version: _v, ...fields } = changes;
      const before = registrationView(row);
      Object.assign(row, fields, {
        registrantName: fields.registrantName?.trim() ?? row.registrantName,
        address: fields.address?.trim() ?? row.address,
        schedules: fields.schedules ? [...new Set(fields.schedules)] : row.schedules,
        stateLicenseNumber: fields.stateLicenseNumber === undefined ? row.stateLicenseNumber : fields.stateLicenseNumber?.trim() || null,
      });
      await tx.manager.save(row).catch((err) => duplicate(err, 'deaNumber', 'This DEA number is already registered here'));
      if (row.expiresOn !== before.expiresOn) await this.remindOfExpiry(tx, row);
      const after = registrationView(row);
      await this.audit.record(tx, {
        action: 'ledger.registration.update',
        resourceType: 'cs_registration',
        resourceId: id,
        changes: { before, after },
      });
      return after;
    });
  }

  /** The renewal reminder (RENEWAL_LEAD_DAYS before the expiry) and the lapse alert, replacing those of an earlier expiry. */
  private async remindOfExpiry(tx: Tx, r: CsRegistration): Promise<void> {
    const clinic = await tx.manager.findOneByOrFail(Clinic, { id: r.clinicId });
    await scheduleReminders(
      tx,
      this.pendingWork,
      { clinicId: r.clinicId, registrationId: r.id, basis: r.expiresOn },
      registrationMilestones(r.expiresOn, clinic.timeZone),
    );
  }

  async registrations(actor: Actor, page: { limit: number; cursor?: string }): Promise<Page<RegistrationView>> {
    const q = this.dataSource.createQueryBuilder(CsRegistration, 'r').where('r.clinic_id = :clinicId', { clinicId: actor.clinicId });
    return keysetPage(q, {
      sortColumn: 'r.created_at',
      idColumn: 'r.id',
      order: 'ASC',
      limit: page.limit,
      cursor: page.cursor,
      key: (r) => ({ at: r.createdAt, id: r.id }),
      view: registrationView,
    });
  }

  /** Adds one of the clinic's own presentations (ketamine or esketamine; DEA code 7285, Schedule III non-narcotic). */
  async addProduct(actor: Actor, input: ProductInput): Promise<ProductView> {
    const fields = productRow(actor, input);
    return this.transactions.run(async (tx) => {
      const row = tx.manager.create(CsProduct, fields);
      await tx.manager.insert(CsProduct, row).catch((err) => duplicate(err, 'ndc', 'Your clinic already has a product with this NDC'));
      await this.audit.record(tx, {
        action: 'ledger.product.create',
        resourceType: 'cs_product',
        resourceId: row.id,
        changes: { ...input },
      });
      return productView(await tx.manager.findOneByOrFail(CsProduct, { id: row.id }));
    });
  }

  /** Vigil's products, then the clinic's own, in the order added. */
  async products(actor: Actor, page: { limit: number; cursor?: string }): Promise<Page<ProductView>> {
    const q = this.dataSource
      .createQueryBuilder(CsProduct, 'p')
      .where(new Brackets((w) => w.where('p.clinic_id IS NULL').orWhere('p.clinic_id = :clinicId', { clinicId: actor.clinicId })));
    return keysetPage(q, {
      sortColumn: 'p.created_at',
      idColumn: 'p.id',
      order: 'ASC',
      limit: page.limit,
      cursor: page.cursor,
      key: (p) => ({ at: p.createdAt, id: p.id }),
      view: productView,
    });
  }

  /** A product the clinic may use (Vigil's or its own), or 400 naming `field`. */
  async usableProduct(m: EntityManager, clinicId: string, id: string, field = 'productId'): Promise<CsProduct> {
    const p = await m.findOneBy(CsProduct, { id });
    if (!p || (p.clinicId !== null && p.clinicId !== clinicId))
      throw DomainError.validation([{ field, message: 'no controlled-substance product with this id' }]);
    return p;
  }
}

/** The product row of a clinic's input: mL and mg/mL for an injection, devices and mg per device for a nasal spray. */
function productRow(actor: Actor, input: ProductInput): Partial<CsProduct> {
  const problems: Array<{ field: string; message: string }> = [];
  const spray = input.substance === 'esketamine';
  if (input.ndc && !ndc11(input.ndc)) problems.push({ field: 'ndc', message: NDC_SHAPES });
  if (!spray && !input.strengthMgPerMl) problems.push({ field: 'strengthMgPerMl', message: 'a ketamine solution needs its mg/mL' });
  if (!spray && input.mgPerDevice) problems.push({ field: 'mgPerDevice', message: 'ketamine is counted in mL, not devices' });
  if (spray && !input.mgPerDevice)
    problems.push({ field: 'mgPerDevice', message: 'esketamine is counted in devices: give the mg per device' });
  if (spray && input.strengthMgPerMl) problems.push({ field: 'strengthMgPerMl', message: 'esketamine is counted in devices, not mL' });
  if (spray && !Number.isInteger(input.unitsPerContainer))
    problems.push({ field: 'unitsPerContainer', message: 'a kit holds a whole number of devices' });
  if (problems.length) throw DomainError.validation(problems);
  return {
    clinicId: actor.clinicId,
    ndc: input.ndc ?? null,
    name: input.name.trim(),
    substance: input.substance,
    deaCode: 7285,
    schedule: '3N',
    form: spray ? 'nasal_spray' : 'injection',
    strengthMgPerMl: spray ? null : input.strengthMgPerMl!,
    mgPerUnit: spray ? input.mgPerDevice! : input.strengthMgPerMl!,
    unitsPerContainer: input.unitsPerContainer,
    unit: spray ? 'device' : 'mL',
    containerKind: input.containerKind,
    createdBy: actor.userId,
  };
}
