import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ageInYears,
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
  type Page,
} from '#platform';
import { ProtocolsService } from '../protocols/index.js';
import { Patient, type CareStatus, type ContactPreference } from './patient.entity.js';
import { patientSearchText, foldForSearch } from './search-text.js';
import type { Sex } from './screening-items.js';
import { insertWeight, latestWeight, latestWeights } from './weight-records.js';
import type { PatientWeight } from './weight.entity.js';
import { weightProblems, weightView, type WeightView } from './weights.js';

export interface EmergencyContact {
  name?: string | null;
  phone?: string | null;
  relationship?: string | null;
}

export interface PatientDemographics {
  mrn: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  sex?: Sex;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  emergencyContact?: EmergencyContact | null;
  heightCm?: number | null;
  contactPreference?: ContactPreference;
  contactConsent?: boolean;
}

export interface NewPatient extends PatientDemographics {
  weightKg: number;
  weightMeasuredAt?: Date;
}

export type PatientChanges = Partial<PatientDemographics> & { version?: number };

export interface PatientView {
  id: string;
  mrn: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  ageYears: number;
  sex: Sex;
  phone: string | null;
  email: string | null;
  address: string | null;
  emergencyContact: { name: string | null; phone: string | null; relationship: string | null };
  heightCm: number | null;
  contactPreference: ContactPreference;
  contactConsent: boolean;
  careStatus: CareStatus;
  dischargedFromCareAt: string | null;
  dischargedFromCareReason: string | null;
  latestWeight: WeightView | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

@Injectable()
export class PatientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly protocols: ProtocolsService,
  ) {}

  async register(actor: Actor, input: NewPatient): Promise<PatientView> {
    const now = this.clock.now();
    await this.checkBirthDate(actor.clinicId, input.dateOfBirth, now);
    const measuredAt = input.weightMeasuredAt ?? now;
    const problems = weightProblems(input.weightKg, 'kg', measuredAt, now, 'weightKg');
    if (problems.length) throw DomainError.validation(problems);
    return this.transactions.run(async (tx) => {
      await this.checkMrnFree(tx.manager, actor.clinicId, input.mrn.trim());
      const patient = tx.manager.create(Patient, { clinicId: actor.clinicId, ...this.columns(input) });
      this.checkContact(patient);
      patient.searchText = patientSearchText(patient);
      await tx.manager.save(patient);
      const weight = await insertWeight(tx.manager, actor, patient, { value: input.weightKg, unit: 'kg', measuredAt });
      await this.audit.record(tx, {
        action: 'patient.create',
        resourceType: 'patient',
        resourceId: patient.id,
        changes: { ...this.columns(input), weightKg: weight.weightKg },
      });
      return this.view(patient, weight, now, await this.timeZone(tx.manager, actor.clinicId));
    });
  }

  /** A patient's record; the read itself is audited. */
  async get(actor: Actor, id: string): Promise<PatientView> {
    return this.transactions.run(async (tx) => {
      const patient = await this.findInClinic(tx.manager, actor.clinicId, id);
      await this.audit.record(tx, { action: 'patient.read', resourceType: 'patient', resourceId: id });
      return this.view(patient, await latestWeight(tx.manager, id), this.clock.now(), await this.timeZone(tx.manager, actor.clinicId));
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
        (p) => this.view(p, weights.get(p.id) ?? null, now, tz),
      );
    });
  }

  async update(actor: Actor, id: string, changes: PatientChanges): Promise<PatientView> {
    const now = this.clock.now();
    if (changes.dateOfBirth !== undefined) await this.checkBirthDate(actor.clinicId, changes.dateOfBirth, now);
    return this.transactions.run(async (tx) => {
      const patient = await this.findInClinic(tx.manager, actor.clinicId, id, true);
      if (changes.version !== undefined && changes.version !== patient.version) {
        throw DomainError.conflict(
          ErrorCode.StaleVersion,
          `Patient was changed meanwhile (version ${patient.version}, you sent ${changes.version})`,
        );
      }
      if (changes.mrn !== undefined && changes.mrn.trim() !== patient.mrn)
        await this.checkMrnFree(tx.manager, actor.clinicId, changes.mrn.trim(), patient.id);
      const before = this.columns(patient);
      const current = this.asInput(patient);
      Object.assign(
        patient,
        this.columns({ ...current, ...changes, emergencyContact: { ...current.emergencyContact, ...changes.emergencyContact } }),
      );
      patient.searchText = patientSearchText(patient);
      this.checkContact(patient);
      const after = this.columns(patient);
      const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      if (changed.length) {
        await tx.manager.save(patient);
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
      return this.view(patient, await latestWeight(tx.manager, id), now, await this.timeZone(tx.manager, actor.clinicId));
    });
  }

  /** The patient, or 404 when missing or another clinic's; `lock` holds the row for an update. */
  /** The record as answered, read inside the caller's transaction. */
  async viewIn(manager: EntityManager, p: Patient): Promise<PatientView> {
    return this.view(p, await latestWeight(manager, p.id), this.clock.now(), await this.timeZone(manager, p.clinicId));
  }

  async findInClinic(manager: EntityManager, clinicId: string, id: string, lock = false): Promise<Patient> {
    const q = manager.createQueryBuilder(Patient, 'p').where('p.id = :id AND p.clinic_id = :clinicId', { id, clinicId });
    if (lock) q.setLock('pessimistic_write');
    const patient = await q.getOne();
    if (!patient) throw DomainError.notFound('Patient');
    return patient;
  }

  private async checkBirthDate(clinicId: string, dateOfBirth: string, now: Date): Promise<void> {
    const tz = await this.timeZone(this.dataSource.manager, clinicId);
    const today = localDate(now, tz);
    if (dateOfBirth > today) throw DomainError.validation([{ field: 'dateOfBirth', message: 'must not be in the future' }]);
    if (dateOfBirth < '1900-01-01') throw DomainError.validation([{ field: 'dateOfBirth', message: 'must be 1900-01-01 or later' }]);
    const protocols = await this.protocols.list(clinicId);
    const minAge = Math.min(...protocols.map((p) => p.minAgeYears));
    if (Number.isFinite(minAge) && ageInYears(dateOfBirth, today) < minAge) {
      throw DomainError.validation([
        { field: 'dateOfBirth', message: `the patient must be at least ${minAge} years old for this clinic's protocols` },
      ]);
    }
  }

  /** An MRN is one whatever its case: "mrn-7" is taken when "MRN-7" is (the caller's own record excepted). */
  private async checkMrnFree(manager: EntityManager, clinicId: string, mrn: string, except?: string): Promise<void> {
    const q = manager.createQueryBuilder(Patient, 'p').where('p.clinic_id = :clinicId AND lower(p.mrn) = lower(:mrn)', { clinicId, mrn });
    if (except) q.andWhere('p.id <> :except', { except });
    if (await q.getExists()) {
      throw DomainError.conflict(ErrorCode.DuplicateKey, 'A patient with this MRN already exists in this clinic', [
        { field: 'mrn', message: 'already in use' },
      ]);
    }
  }

  private async timeZone(manager: EntityManager, clinicId: string): Promise<string> {
    const clinic = await manager.findOneBy(Clinic, { id: clinicId });
    return clinic?.timeZone ?? 'UTC';
  }

  private asInput(p: Patient): PatientDemographics {
    return {
      mrn: p.mrn,
      firstName: p.firstName,
      lastName: p.lastName,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
      phone: p.phone,
      email: p.email,
      address: p.address,
      emergencyContact: { name: p.emergencyContactName, phone: p.emergencyContactPhone, relationship: p.emergencyContactRelationship },
      heightCm: p.heightCm,
      contactPreference: p.contactPreference,
      contactConsent: p.contactConsent,
    };
  }

  /** Reminders go where the patient said: an email preference needs an address, a phone one a number. */
  private checkContact(p: Pick<Patient, 'contactPreference' | 'email' | 'phone'>): void {
    if (p.contactPreference === 'email' && !p.email)
      throw DomainError.validation([{ field: 'contactPreference', message: 'email reminders need the patient’s email address' }]);
    if (p.contactPreference === 'phone' && !p.phone)
      throw DomainError.validation([{ field: 'contactPreference', message: 'phone reminders need the patient’s phone number' }]);
  }

  private columns(input: PatientDemographics): Record<string, unknown> & Partial<Patient> {
    const trim = (v: string | null | undefined) => (v === undefined || v === null ? null : v.trim() || null);
    return {
      mrn: input.mrn.trim(),
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      dateOfBirth: input.dateOfBirth,
      sex: input.sex ?? 'unknown',
      phone: trim(input.phone),
      email: trim(input.email),
      address: trim(input.address),
      emergencyContactName: trim(input.emergencyContact?.name),
      emergencyContactPhone: trim(input.emergencyContact?.phone),
      emergencyContactRelationship: trim(input.emergencyContact?.relationship),
      heightCm: input.heightCm ?? null,
      contactPreference: input.contactPreference ?? 'none',
      contactConsent: input.contactConsent ?? false,
    };
  }

  private view(p: Patient, weight: PatientWeight | null, now: Date, timeZone: string): PatientView {
    return {
      id: p.id,
      mrn: p.mrn,
      firstName: p.firstName,
      lastName: p.lastName,
      dateOfBirth: p.dateOfBirth,
      ageYears: ageInYears(p.dateOfBirth, localDate(now, timeZone)),
      sex: p.sex,
      phone: p.phone,
      email: p.email,
      address: p.address,
      emergencyContact: { name: p.emergencyContactName, phone: p.emergencyContactPhone, relationship: p.emergencyContactRelationship },
      heightCm: p.heightCm,
      contactPreference: p.contactPreference,
      contactConsent: p.contactConsent,
      careStatus: p.careStatus,
      dischargedFromCareAt: p.dischargedFromCareAt?.toISOString() ?? null,
      dischargedFromCareReason: p.dischargedFromCareReason,
      latestWeight: weight ? weightView(weight) : null,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
      version: p.version,
    };
  }
}
