import { consentStatus } from '../consent/index.js';
import { toAppointment, type AppointmentRow } from './appointment-resource.js';
import { toConsent, type ConsentRow } from './consent-resource.js';
import { toDevice, type DeviceRow } from './device-resource.js';
import { toEncounter, type EncounterRow } from './encounter-resource.js';
import { toFlag, type FlagRow } from './flag-resource.js';
import { toLocation, type LocationRow } from './location-resource.js';
import { toMedicationAdministration, type DoseRow } from './medication-administration-resource.js';
import { toPractitioner, type PractitionerRow } from './practitioner-resource.js';
import type { FhirResource } from './resource.js';

/*
 * The resources read from one table each (a row, one resource): the SQL that reads the row with what
 * its mapper needs (columns aliased to the mapper's names), the clinic it belongs to, the time it is
 * paged by, and the columns `patient=` and `date=` search.
 */

export interface TableSpec {
  select: string;
  from: string;
  /** Rows of the table that are not served (e.g. resolved alerts). */
  where?: string;
  clinic: string;
  id: string;
  /** The time results are in order of (with the id): the keyset of the `next` links. */
  sort: string;
  /** What the resource's meta.lastUpdated shows (bulk export's `_since`). */
  updated: string;
  patient?: string;
  /** `date=`: an instant, or a period (start, and an end that may be open). */
  date?: { start: string; end?: string };
  map(row: Record<string, unknown>, now: Date): FhirResource;
}

export const TABLE_TYPES = [
  'Encounter',
  'MedicationAdministration',
  'Consent',
  'Appointment',
  'Flag',
  'Device',
  'Location',
  'Practitioner',
] as const;
export type TableType = (typeof TABLE_TYPES)[number];

const as = <T>(row: Record<string, unknown>) => row as unknown as T;

export const TABLES: Record<TableType, TableSpec> = {
  Encounter: {
    select: `s.id, s.patient_id AS "patientId", s.status, s.protocol_key AS "protocolKey", s.appointment_id AS "appointmentId",
      s.chair_id AS "chairId", COALESCE(c.name, s.chair_label) AS "chairLabel", s.nurse_user_id AS "nurseUserId",
      s.anesthesiologist_user_id AS "anesthesiologistUserId", s.checked_in_at AS "checkedInAt", s.ended_at AS "endedAt",
      s.updated_at AS "updatedAt", s.version`,
    from: 'sessions s LEFT JOIN chairs c ON c.id = s.chair_id',
    clinic: 's.clinic_id',
    id: 's.id',
    sort: 's.created_at',
    updated: 's.updated_at',
    patient: 's.patient_id',
    date: { start: 's.checked_in_at', end: 's.ended_at' },
    map: (row) => toEncounter(as<EncounterRow>(row)),
  },
  MedicationAdministration: {
    select: `d.id, d.patient_id AS "patientId", d.session_id AS "sessionId", d.drug, d.route, d.dose_mg::float8 AS "doseMg",
      d.lot_number AS "lotNumber", d.administered_by AS "administeredBy", d.administered_at AS "administeredAt",
      d.recorded_at AS "recordedAt", s.status AS "sessionStatus", s.delivered_dose_mg::float8 AS "deliveredDoseMg",
      s.dosing_ended_at AS "dosingEndedAt", s.rate_ml_per_h::float8 AS "rateMlPerH", s.rate_mg_per_h::float8 AS "rateMgPerH",
      EXISTS (SELECT 1 FROM session_events e WHERE e.session_id = s.id AND e.type = 'abort') AS aborted,
      pkg.ndc, pkg.name AS "productName", pkg.expires_on::text AS "expiresOn"`,
    from: `dose_administrations d JOIN sessions s ON s.id = d.session_id
      LEFT JOIN LATERAL (SELECT c.ndc, p.name, c.expires_on FROM cs_events x JOIN cs_containers c ON c.id = x.container_id
        JOIN cs_products p ON p.id = c.product_id
        WHERE x.session_id = d.session_id AND x.kind = 'administer' AND c.lot = d.lot_number
        ORDER BY x.occurred_at LIMIT 1) pkg ON TRUE`,
    clinic: 'd.clinic_id',
    id: 'd.id',
    sort: 'd.administered_at',
    updated: 'd.recorded_at',
    patient: 'd.patient_id',
    date: { start: 'd.administered_at' },
    map: (row) => toMedicationAdministration(as<DoseRow>(row)),
  },
  Consent: {
    select: `c.id, c.clinic_id AS "clinicId", c.patient_id AS "patientId", c.kind, c.form_version AS "formVersion",
      f.title AS "formTitle", c.signed_by_name AS "signedByName", c.signed_at AS "signedAt", c.method,
      c.prescriber_user_id AS "prescriberUserId", c.expires_at AS "expiresAt", c.withdrawn_at AS "withdrawnAt",
      c.created_at AS "createdAt",
      ARRAY(SELECT n.version FROM consent_forms n WHERE n.clinic_id = c.clinic_id AND n.kind = c.kind
        AND n.requires_reconsent AND n.published_at <= :now) AS "reconsentVersions"`,
    from: 'patient_consents c JOIN consent_forms f ON f.id = c.form_id',
    clinic: 'c.clinic_id',
    id: 'c.id',
    sort: 'c.signed_at',
    updated: 'COALESCE(c.withdrawn_at, c.created_at)',
    patient: 'c.patient_id',
    date: { start: 'c.signed_at' },
    map: (row, now) => {
      const c = as<ConsentRow & { reconsentVersions: number[] }>(row);
      return toConsent({ ...c, status: consentStatus(c, c.reconsentVersions, now) });
    },
  },
  Appointment: {
    select: `a.id, a.patient_id AS "patientId", a.chair_id AS "chairId", c.name AS "chairName", a.protocol_key AS "protocolKey",
      a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.status, a.session_id AS "sessionId", a.cancel_reason AS "cancelReason",
      a.created_at AS "createdAt", a.updated_at AS "updatedAt"`,
    from: 'appointments a LEFT JOIN chairs c ON c.id = a.chair_id',
    clinic: 'a.clinic_id',
    id: 'a.id',
    sort: 'a.starts_at',
    updated: 'a.updated_at',
    patient: 'a.patient_id',
    date: { start: 'a.starts_at' },
    map: (row) => toAppointment(as<AppointmentRow>(row)),
  },
  Flag: {
    select: `a.id, a.patient_id AS "patientId", a.session_id AS "sessionId", a.measure, a.level, a.status, a.message,
      a.opened_at AS "openedAt", a.acknowledged_at AS "acknowledgedAt"`,
    from: 'alerts a',
    where: `a.status <> 'resolved'`,
    clinic: 'a.clinic_id',
    id: 'a.id',
    sort: 'a.opened_at',
    updated: 'COALESCE(a.acknowledged_at, a.opened_at)',
    patient: 'a.patient_id',
    map: (row) => toFlag(as<FlagRow>(row)),
  },
  Device: {
    select: `m.id, m.clinic_id AS "clinicId", m.name, m.chair_id AS "chairId", m.eui64, m.location, m.retired_at AS "retiredAt",
      m.updated_at AS "updatedAt", m.version`,
    from: 'monitors m',
    clinic: 'm.clinic_id',
    id: 'm.id',
    sort: 'm.created_at',
    updated: 'm.updated_at',
    map: (row) => toDevice(as<DeviceRow>(row)),
  },
  Location: {
    select: `c.id, c.name, c.active, c.created_at AS "createdAt"`,
    from: 'chairs c',
    clinic: 'c.clinic_id',
    id: 'c.id',
    sort: 'c.created_at',
    updated: 'c.created_at',
    map: (row) => toLocation(as<LocationRow>(row)),
  },
  Practitioner: {
    select: `u.id, u.name, u.active, u.updated_at AS "updatedAt", u.version`,
    from: 'users u',
    clinic: 'u.clinic_id',
    id: 'u.id',
    sort: 'u.created_at',
    updated: 'u.updated_at',
    map: (row) => toPractitioner(as<PractitionerRow>(row)),
  },
};
