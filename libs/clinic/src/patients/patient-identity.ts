import { QueryFailedError, type EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '#platform';
import { Patient } from './patient.entity.js';
import { foldForSearch } from './search-text.js';

/** Something the registration let pass but the registering user should look at. */
export interface PatientWarning {
  code: 'SAME_NAME_AND_BIRTH_DATE';
  message: string;
  /** The other patient. */
  patientId: string;
  mrn: string;
}

const duplicateMrn = () =>
  DomainError.conflict(ErrorCode.DuplicateKey, 'A patient with this MRN already exists in this clinic', [
    { field: 'mrn', message: 'already in use' },
  ]);

/** An MRN is one whatever its case: "mrn-7" is taken when "MRN-7" is (the caller's own record excepted). */
export async function checkMrnFree(manager: EntityManager, clinicId: string, mrn: string, except?: string): Promise<void> {
  const q = manager.createQueryBuilder(Patient, 'p').where('p.clinic_id = :clinicId AND lower(p.mrn) = lower(:mrn)', { clinicId, mrn });
  if (except) q.andWhere('p.id <> :except', { except });
  if (await q.getExists()) throw duplicateMrn();
}

/**
 * Saves the patient; the unique index on (clinic, lower(mrn)) settles two registrations racing with
 * the same MRN in different cases, the later one answered as `checkMrnFree` would have.
 */
export async function savePatient(manager: EntityManager, patient: Patient): Promise<Patient> {
  try {
    return await manager.save(patient);
  } catch (error) {
    const e = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : {};
    if (e.code === '23505' && e.constraint === 'ux_patients_mrn') throw duplicateMrn();
    throw error;
  }
}

const sameName = (a: Pick<Patient, 'firstName' | 'lastName'>, b: Pick<Patient, 'firstName' | 'lastName'>) =>
  foldForSearch(a.firstName) === foldForSearch(b.firstName) && foldForSearch(a.lastName) === foldForSearch(b.lastName);

/**
 * Other patients of the clinic with the same birth date and names (case, accents and spaces aside):
 * perhaps the same person registered twice. A warning, not a refusal: namesakes born the same day exist.
 */
export async function sameNameAndBirthDate(manager: EntityManager, p: Patient): Promise<PatientWarning[]> {
  const born = await manager
    .createQueryBuilder(Patient, 'p')
    .where('p.clinic_id = :clinicId AND p.date_of_birth = :dob AND p.id <> :id', { clinicId: p.clinicId, dob: p.dateOfBirth, id: p.id })
    .orderBy('p.created_at', 'ASC')
    .limit(200)
    .getMany();
  return born
    .filter((other) => sameName(other, p))
    .map((other) => ({
      code: 'SAME_NAME_AND_BIRTH_DATE',
      message: `${other.firstName} ${other.lastName}, born ${other.dateOfBirth}, is already registered (MRN ${other.mrn}): check this is not the same person`,
      patientId: other.id,
      mrn: other.mrn,
    }));
}
