import { NDC, RXNORM, SNOMED, ucum } from './codes.js';
import { metaOf, ref, type FhirResource } from './resource.js';

/** A dose given (dose_administrations) with its session and, when drawn from the ledger, its container. */
export interface DoseRow {
  id: string;
  patientId: string;
  sessionId: string;
  drug: 'ketamine' | 'esketamine';
  route: string;
  /** The dose drawn up at the start. */
  doseMg: number;
  lotNumber: string;
  administeredBy: string;
  administeredAt: Date;
  recordedAt: Date;
  sessionStatus: string;
  /** The dose of record given, once dosing ended or stopped. */
  deliveredDoseMg: number | null;
  dosingEndedAt: Date | null;
  rateMlPerH: number | null;
  rateMgPerH: number | null;
  /** Dosing was stopped early (the session was aborted, discharged since or not). */
  aborted: boolean;
  /** The ledger container the dose was drawn from: its package NDC, product name and expiry. */
  ndc: string | null;
  productName: string | null;
  expiresOn: string | null;
}

/** RxNorm ingredient codes: ketamine (RxCUI 6130); esketamine as RxNorm lists its nasal spray dose form group (2201623). */
const RXNORM_CODES: Record<DoseRow['drug'], { system: string; code: string; display?: string }> = {
  ketamine: { system: RXNORM, code: '6130', display: 'ketamine' },
  esketamine: { system: RXNORM, code: '2201623' },
};

/** SNOMED CT routes of the protocols' routes. */
export const ROUTES: Record<string, { system: string; code: string; display: string }> = {
  iv: { system: SNOMED, code: '47625008', display: 'Intravenous route' },
  im: { system: SNOMED, code: '78421000', display: 'Intramuscular route' },
  intranasal: { system: SNOMED, code: '46713006', display: 'Nasal route' },
};

/** in-progress while dosing, on-hold while paused, stopped when dosing was stopped early, completed when it ended. */
function statusOf(d: DoseRow): string {
  if (d.sessionStatus === 'dosing') return 'in-progress';
  if (d.sessionStatus === 'paused') return 'on-hold';
  if (d.aborted) return 'stopped';
  return d.dosingEndedAt ? 'completed' : 'unknown';
}

/** The medication given, contained: the package NDC when the ledger knows it, RxNorm always, and the lot. */
function medication(d: DoseRow) {
  const name = d.productName ?? (d.drug === 'ketamine' ? 'Ketamine' : 'Esketamine');
  return {
    resourceType: 'Medication',
    id: 'medication',
    code: { coding: [...(d.ndc ? [{ system: NDC, code: d.ndc }] : []), RXNORM_CODES[d.drug]], text: name },
    batch: { lotNumber: d.lotNumber, ...(d.expiresOn ? { expirationDate: d.expiresOn } : {}) },
  };
}

function rate(d: DoseRow) {
  if (d.rateMlPerH !== null) return { rateQuantity: ucum(d.rateMlPerH, 'mL/h') };
  if (d.rateMgPerH !== null) return { rateQuantity: ucum(d.rateMgPerH, 'mg/h') };
  return {};
}

/**
 * A dose as a MedicationAdministration: the medication contained (NDC, RxNorm, lot), the patient and
 * session, from the start of dosing to its end, who gave it, the route, the dose (the delivered dose
 * once known, the dose drawn up before) and the pump rate.
 */
export function toMedicationAdministration(d: DoseRow): FhirResource {
  const route = ROUTES[d.route];
  const dose = d.deliveredDoseMg ?? d.doseMg;
  return {
    resourceType: 'MedicationAdministration',
    id: d.id,
    meta: metaOf(1, d.recordedAt),
    contained: [medication(d)],
    status: statusOf(d),
    medicationReference: { reference: '#medication' },
    subject: ref('Patient', d.patientId),
    context: ref('Encounter', d.sessionId),
    effectivePeriod: {
      start: d.administeredAt.toISOString(),
      ...(d.dosingEndedAt ? { end: d.dosingEndedAt.toISOString() } : {}),
    },
    performer: [{ actor: ref('Practitioner', d.administeredBy) }],
    dosage: {
      text: `${dose} mg ${route?.display.replace(/ route$/, '').toLowerCase() ?? d.route}${d.deliveredDoseMg === null ? ' (drawn up)' : ''}`,
      ...(route ? { route: { coding: [route] } } : { route: { text: d.route } }),
      dose: ucum(dose, 'mg'),
      ...rate(d),
    },
  };
}
