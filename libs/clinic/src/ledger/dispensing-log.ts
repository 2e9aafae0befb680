import type { EntityManager } from 'typeorm';
import { Clinic, localParts, zonedTimeToUtc } from '#platform';
import { finishedForm, SUBSTANCE_NAMES, unitsPerContainer } from './presentation.js';
import { qty } from './quantities.js';
import { toCsv, type Columns } from './report-csv.js';

/**
 * The dispensing log a DEA inspector asks for: one row per dose drawn from a container, with every
 * item 21 CFR 1304.22(c) names for an administration (the substance, its finished form, the units
 * per commercial container, the quantity administered, the date, the patient's name and address,
 * who administered it), plus what ties it to the stock (NDC, lot, container) and to the waste.
 */
export interface DispensingRow {
  /** The clinic's local date and time of the draw, YYYY-MM-DD HH:MM. */
  date: string;
  substance: string;
  finishedForm: string;
  unitsPerContainer: string;
  ndc: string;
  lot: string;
  container: string;
  /** The dose given (drawn until the end of dosing reconciles it). */
  quantityAdministered: number;
  unit: 'mL' | 'device';
  mgAdministered: number;
  drawn: number;
  wasted: number;
  reconciled: boolean;
  patientName: string;
  patientAddress: string;
  administeredBy: string;
  wasteWitnesses: string;
  sessionId: string;
}

/** The CSV's columns, in order, with their headers. */
export const DISPENSING_COLUMNS: Columns<DispensingRow> = [
  ['date', 'Date'],
  ['substance', 'Substance'],
  ['finishedForm', 'Finished form'],
  ['unitsPerContainer', 'Units per container'],
  ['ndc', 'NDC'],
  ['lot', 'Lot'],
  ['container', 'Container'],
  ['quantityAdministered', 'Quantity administered'],
  ['unit', 'Unit'],
  ['mgAdministered', 'mg administered'],
  ['drawn', 'Quantity drawn'],
  ['wasted', 'Quantity wasted'],
  ['reconciled', 'Dose given reconciled'],
  ['patientName', 'Patient name'],
  ['patientAddress', 'Patient address'],
  ['administeredBy', 'Administered by'],
  ['wasteWitnesses', 'Waste witnessed by'],
  ['sessionId', 'Session'],
];

type Raw = Record<string, string | number | boolean | Date | null>;

/** The rows of the clinic's draws from `from` to `to` (the clinic's local dates, both included), oldest first. */
export async function dispensingRows(m: EntityManager, clinicId: string, from: string, to: string): Promise<DispensingRow[]> {
  const clinic = await m.findOneByOrFail(Clinic, { id: clinicId });
  const start = zonedTimeToUtc(from, '00:00', clinic.timeZone);
  const end = zonedTimeToUtc(nextDay(to), '00:00', clinic.timeZone);
  const rows = await m.query<Raw[]>(
    `SELECT e.occurred_at, e.quantity::text AS drawn, e.quantity_mg::text AS drawn_mg, e.session_id, c.ndc, c.lot, c.seq,
            p.substance, p.form, p.strength_mg_per_ml::text AS strength, p.mg_per_unit::text AS mg_per_unit,
            p.units_per_container::text AS units, p.unit, p.container_kind, pt.first_name, pt.last_name, pt.address, u.name AS actor,
            r.quantity::text AS given, r.quantity_mg::text AS given_mg,
            (SELECT coalesce(sum(w.quantity), 0)::text FROM cs_events w
              WHERE w.kind = 'waste' AND w.session_id = e.session_id AND w.container_id = e.container_id) AS wasted,
            (SELECT string_agg(DISTINCT wu.name, '; ') FROM cs_events w JOIN users wu ON wu.id = w.witness_user_id
              WHERE w.kind = 'waste' AND w.session_id = e.session_id AND w.container_id = e.container_id) AS witnesses
       FROM cs_events e
       JOIN cs_containers c ON c.id = e.container_id
       JOIN cs_products p ON p.id = c.product_id
       JOIN patients pt ON pt.id = e.patient_id
       JOIN users u ON u.id = e.actor_user_id
       LEFT JOIN LATERAL (SELECT x.quantity, x.quantity_mg FROM cs_events x
                           WHERE x.kind = 'reconcile' AND x.session_id = e.session_id AND x.container_id = e.container_id
                           ORDER BY x.recorded_at LIMIT 1) r ON true
      WHERE e.clinic_id = $1 AND e.kind = 'administer' AND e.occurred_at >= $2 AND e.occurred_at < $3
      ORDER BY e.occurred_at, e.id`,
    [clinicId, start, end],
  );
  return rows.map((r) => row(r, clinic.timeZone));
}

function row(r: Raw, timeZone: string): DispensingRow {
  const at = localParts(r['occurred_at'] as Date, timeZone);
  const presented = {
    substance: String(r['substance']),
    unit: String(r['unit']),
    mgPerUnit: Number(r['mg_per_unit']),
    strengthMgPerMl: r['strength'] === null ? null : Number(r['strength']),
    unitsPerContainer: Number(r['units']),
    containerKind: String(r['container_kind']),
  };
  const drawn = Number(r['drawn']);
  const reconciled = r['given'] !== null;
  return {
    date: `${at.date} ${at.time}`,
    substance: SUBSTANCE_NAMES[presented.substance],
    finishedForm: finishedForm(presented),
    unitsPerContainer: unitsPerContainer(presented),
    ndc: String(r['ndc']),
    lot: String(r['lot']),
    container: `${String(r['lot'])}/${Number(r['seq'])}`,
    quantityAdministered: reconciled ? Number(r['given']) : drawn,
    unit: r['unit'] as DispensingRow['unit'],
    mgAdministered: qty(reconciled ? Number(r['given_mg']) : Number(r['drawn_mg'])),
    drawn,
    wasted: Number(r['wasted']),
    reconciled,
    patientName: `${String(r['last_name'])}, ${String(r['first_name'])}`,
    patientAddress: String(r['address'] ?? ''),
    administeredBy: String(r['actor']),
    wasteWitnesses: (r['witnesses'] as string | null) ?? 'no waste',
    sessionId: String(r['session_id']),
  };
}

const nextDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The log as RFC 4180 CSV, and its SHA-256 for the audit trail. */
export const dispensingCsv = (rows: DispensingRow[]): { csv: string; sha256: string } => toCsv(DISPENSING_COLUMNS, rows);
