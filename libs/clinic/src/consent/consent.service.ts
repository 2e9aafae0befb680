import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ConsentKind } from './consent-form.entity.js';
import { PatientConsent } from './patient-consent.entity.js';

/** The consent gate: what a session's start and observation ask of the patient's signatures. */
@Injectable()
export class ConsentService {
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
}
