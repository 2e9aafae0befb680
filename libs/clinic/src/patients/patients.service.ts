import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clinic,
  Clock,
  decodeCursor,
  DomainError,
  ErrorCode,
  localDate,
  toPage,
  TransactionRunner,
  type Actor,
  type FieldProblem,
  type Page,
} from '#platform';
import { ProtocolsService } from '../protocols/index.js';
import { birthDateProblems, contactProblems } from './patient-checks.js';
import { checkMrnFree, sameNameAndBirthDate, savePatient, type PatientWarning } from './patient-identity.js';
import { asInput, columns, patientView, type NewPatient, type PatientChanges, type PatientView } from './patient-record.js';
import { Patient } from './patient.entity.js';
import { patientSearchText, foldForSearch } from './search-text.js';
import { insertWeight, latestWeight, latestWeights } from './weight-records.js';
import { weightProblems } from './weights.js';

export type { NewPatient, PatientChanges, PatientDemographics, PatientView } from './patient-record.js';

@Injectable()
export class PatientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly protocols: ProtocolsService,
  ) {}

  /**
   * Registers a patient with a first weight. The answer's `warnings` name other patients of the
   * clinic with the same names and birth date (perhaps the same person): registered all the same.
   */
  async register(actor: Actor, input: NewPatient): Promise<PatientView & { warnings: PatientWarning[] }> {
    const now = this.clock.now();
    const problems = await this.registrationProblems(actor, input);
    if (problems.length) throw DomainError.validation(problems);
    const measuredAt = input.weightMeasuredAt ?? now;
    return this.transactions.run(async (tx) => {
      await checkMrnFree(tx.manager, actor.clinicId, input.mrn.trim());
      const patient = tx.manager.create(Patient, { clinicId: actor.clinicId, ...columns(input) });
      patient.searchText = patientSearchText(patient);
      await savePatient(tx.manager, patient);
      const weight = await insertWeight(tx.manager, actor, patient, { value: input.weightKg, unit: 'kg', measuredAt });
      const warnings = await sameNameAndBirthDate(tx.manager, patient);
      await this.audit.record(tx, {
        action: 'patient.create',
        resourceType: 'patient',
        resourceId: patient.id,
        changes: { ...columns(input), weightKg: weight.weightKg, ...(warnings.length && { warnings }) },
      });
      return { ...patientView(patient, weight, now, await this.timeZone(tx.manager, actor.clinicId)), warnings };
    });
  }

  /** A patient's record; the read itself is audited. */
  async get(actor: Actor, id: string): Promise<PatientView> {
    return this.transactions.run(async (tx) => {
      const patient = await this.findInClinic(tx.manager, actor.clinicId, id);
      await this.audit.record(tx, { action: 'patient.read', resourceType: 'patient', resourceId: id });
      return patientView(patient, await latestWeight(tx.manager, id), this.clock.now(), await this.timeZone(tx.manager, actor.clinicId));
    });
  }

  /** By name, MRN or date of birth (YYYY-MM-DD); case and accents ignored. The search is audited. */
  async search(actor: Actor, query: { search?: string; limit: number; cursor?: string }): Promise<Page<PatientView>> {
    return this.transactions.run(async (tx) => {
      const after = decodeCursor(query.cursor);
      const q = tx.manager.createQueryBuilder(Patient, 'p').where('p.clinic_id = :clinicId', { clinicId: actor.clinicId });
      const term = query.search?.trim() ?? '';
      if (/^\d{4}-\d{2}-\d{2}$/.test(term)) {
        q.andWhere('p.date_of_birth = :dob', { dob: term });
      } else if (term) {
        foldForSearch(term)
          .split(' ')
          .slice(0, 8)
          .forEach((token, i) => q.andWhere(`p.search_text LIKE :t${i}`, { [`t${i}`]: `%${token.replace(/[\\%_]/g, '\\$&')}%` }));
      }
      if (after) q.andWhere('(p.created_at, p.id) > (:at, :id)', { at: after.at, id: after.id });
      const rows = await q
        .orderBy('p.created_at', 'ASC')
        .addOrderBy('p.id', 'ASC')
        .limit(query.limit + 1)
        .getMany();
      const weights = await latestWeights(
        tx.manager,
        rows.map((r) => r.id),
      );
      await this.audit.record(tx, {
        action: 'patient.search',
        resourceType: 'patient',
        changes: { search: term || null, returned: Math.min(rows.length, query.limit) },
      });
      const now = this.clock.now();
      const tz = await this.timeZone(tx.manager, actor.clinicId);
      return toPage(
        rows,
        query.limit,
        (p) => ({ at: p.createdAt, id: p.id }),
        (p) => patientView(p, weights.get(p.id) ?? null, now, tz),
      );
    });
  }

  /**
   * What a registration's fields break beyond their form, every problem at once: a birth date in
   * the clinic's future or too young for its protocols, an implausible weight or one measured in
   * the future, a contact preference without its address. Fields not given are not judged.
   */
  async registrationProblems(actor: Actor, input: Partial<NewPatient>): Promise<FieldProblem[]> {
    const now = this.clock.now();
    return [
      ...(input.dateOfBirth === undefined ? [] : await this.birthDateProblems(actor.clinicId, input.dateOfBirth, now)),
      ...weightProblems(input.weightKg, 'kg', input.weightMeasuredAt, now, { value: 'weightKg', measuredAt: 'weightMeasuredAt' }),
      ...contactProblems(input),
    ];
  }

  /** As `registrationProblems`, for an edit of patient `id`: the contact preference is judged with the record's address and number. */
  async changeProblems(actor: Actor, id: string, changes: PatientChanges): Promise<FieldProblem[]> {
    const patient = await this.findInClinic(this.dataSource.manager, actor.clinicId, id);
    const birth =
      changes.dateOfBirth === undefined ? [] : await this.birthDateProblems(actor.clinicId, changes.dateOfBirth, this.clock.now());
    return [...birth, ...contactProblems({ ...asInput(patient), ...changes })];
  }

  async update(actor: Actor, id: string, changes: PatientChanges): Promise<PatientView> {
    const now = this.clock.now();
    const birth = changes.dateOfBirth === undefined ? [] : await this.birthDateProblems(actor.clinicId, changes.dateOfBirth, now);
    return this.transactions.run(async (tx) => {
      const patient = await this.findInClinic(tx.manager, actor.clinicId, id, true);
      if (changes.version !== undefined && changes.version !== patient.version) {
        throw DomainError.conflict(
          ErrorCode.StaleVersion,
          `Patient was changed meanwhile (version ${patient.version}, you sent ${changes.version})`,
        );
      }
      if (changes.mrn !== undefined && changes.mrn.trim() !== patient.mrn)
        await checkMrnFree(tx.manager, actor.clinicId, changes.mrn.trim(), patient.id);
      const before = columns(patient);
      const current = asInput(patient);
      Object.assign(
        patient,
        columns({ ...current, ...changes, emergencyContact: { ...current.emergencyContact, ...changes.emergencyContact } }),
      );
      patient.searchText = patientSearchText(patient);
      const problems = [...birth, ...contactProblems(patient)];
      if (problems.length) throw DomainError.validation(problems);
      const after = columns(patient);
      const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      if (changed.length) {
        await savePatient(tx.manager, patient);
        await this.audit.record(tx, {
          action: 'patient.update',
          resourceType: 'patient',
          resourceId: id,
          changes: {
            before: Object.fromEntries(changed.map((k) => [k, before[k]])),
            after: Object.fromEntries(changed.map((k) => [k, after[k]])),
          },
        });
      }
      return patientView(patient, await latestWeight(tx.manager, id), now, await this.timeZone(tx.manager, actor.clinicId));
    });
  }

  /** The patient, or 404 when missing or another clinic's; `lock` holds the row for an update. */
  /** The record as answered, read inside the caller's transaction. */
  async viewIn(manager: EntityManager, p: Patient): Promise<PatientView> {
    return patientView(p, await latestWeight(manager, p.id), this.clock.now(), await this.timeZone(manager, p.clinicId));
  }

  async findInClinic(manager: EntityManager, clinicId: string, id: string, lock = false): Promise<Patient> {
    const q = manager.createQueryBuilder(Patient, 'p').where('p.id = :id AND p.clinic_id = :clinicId', { id, clinicId });
    if (lock) q.setLock('pessimistic_write');
    const patient = await q.getOne();
    if (!patient) throw DomainError.notFound('Patient');
    return patient;
  }

  private async birthDateProblems(clinicId: string, dateOfBirth: string, now: Date): Promise<FieldProblem[]> {
    const today = localDate(now, await this.timeZone(this.dataSource.manager, clinicId));
    const ages = (await this.protocols.list(clinicId)).map((p) => p.minAgeYears);
    return birthDateProblems(dateOfBirth, today, ages.length ? Math.min(...ages) : null);
  }

  private async timeZone(manager: EntityManager, clinicId: string): Promise<string> {
    const clinic = await manager.findOneBy(Clinic, { id: clinicId });
    return clinic?.timeZone ?? 'UTC';
  }
}
