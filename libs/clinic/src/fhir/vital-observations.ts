import { deviceSystem, loinc, mdc, OBSERVATION_CATEGORY, PROFILE, UCUM, type Coding } from './codes.js';
import { ref, type FhirResource } from './resource.js';

/** A stored reading (not superseded) with its session's patient: what the vital-sign Observations are made of. */
export interface VitalRow {
  id: string;
  clinicId: string;
  patientId: string;
  measuredAt: Date;
  recordedAt: Date;
  source: 'manual' | 'device';
  deviceId: string | null;
  systolic: number | null;
  diastolic: number | null;
  heartRate: number | null;
  spo2: number | null;
  respiratoryRate: number | null;
  temperatureC: number | null;
  /** The session the reading was charted in (the Observation's encounter). */
  sessionId?: string;
  /** The nurse who charted it by hand (null for a monitor's). */
  recordedBy?: string | null;
  /** The registered monitor whose EUI-64 the reading came under, when there is one. */
  monitorId?: string | null;
  /** MOAA/S charted with the reading (a survey Observation of its own). */
  moaas?: number | null;
}

/** One reading holds several measures; each is an Observation of its own, `<reading id>-<kind>`. */
export const VITAL_KINDS = ['bp', 'hr', 'rr', 'spo2', 'temp'] as const;
export type VitalKind = (typeof VITAL_KINDS)[number];

interface Quantity {
  value: number;
  unit: string;
  code: string;
}
interface KindSpec {
  profiles: string[];
  text: string;
  loinc: Coding[];
  mdc: Coding;
  /** The value, or null when the reading did not measure it. */
  value(r: VitalRow): Quantity | null;
}

const mmHg = (value: number): Quantity => ({ value, unit: 'mmHg', code: 'mm[Hg]' });

export const KIND_SPECS: Record<VitalKind, KindSpec> = {
  bp: {
    profiles: [PROFILE.usCoreBloodPressure, PROFILE.vitalSigns],
    text: 'Blood pressure',
    loinc: [loinc('85354-9', 'Blood pressure panel with all children optional')],
    mdc: mdc('150020', 'MDC_PRESS_BLD_NONINV'),
    // Both or nothing: US Core requires the systolic and the diastolic component.
    value: () => null,
  },
  hr: {
    profiles: [PROFILE.heartRate],
    text: 'Heart rate',
    loinc: [loinc('8867-4', 'Heart rate')],
    mdc: mdc('147842', 'MDC_ECG_HEART_RATE'),
    value: (r) => (r.heartRate === null ? null : { value: r.heartRate, unit: 'beats/minute', code: '/min' }),
  },
  rr: {
    profiles: [PROFILE.respiratoryRate],
    text: 'Respiratory rate',
    loinc: [loinc('9279-1', 'Respiratory rate')],
    mdc: mdc('151562', 'MDC_RESP_RATE'),
    value: (r) => (r.respiratoryRate === null ? null : { value: r.respiratoryRate, unit: 'breaths/minute', code: '/min' }),
  },
  spo2: {
    profiles: [PROFILE.oxygenSaturation],
    text: 'Oxygen saturation (pulse oximetry)',
    loinc: [
      loinc('2708-6', 'Oxygen saturation in Arterial blood'),
      loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
    ],
    mdc: mdc('150456', 'MDC_PULS_OXIM_SAT_O2'),
    value: (r) => (r.spo2 === null ? null : { value: r.spo2, unit: '%', code: '%' }),
  },
  temp: {
    profiles: [PROFILE.bodyTemperature],
    text: 'Body temperature',
    loinc: [loinc('8310-5', 'Body temperature')],
    mdc: mdc('150364', 'MDC_TEMP_BODY'),
    value: (r) => (r.temperatureC === null ? null : { value: r.temperatureC, unit: 'C', code: 'Cel' }),
  },
};

/** Whether the reading measured `kind` (a blood pressure needs both its systolic and diastolic values). */
export function hasKind(r: VitalRow, kind: VitalKind): boolean {
  return kind === 'bp' ? r.systolic !== null && r.diastolic !== null : KIND_SPECS[kind].value(r) !== null;
}

export const observationId = (readingId: string, kind: VitalKind): string => `${readingId}-${kind}`;

const quantity = (q: Quantity) => ({ value: q.value, unit: q.unit, system: UCUM, code: q.code });
/** LOINC first; a monitor's reading also carries the MDC code the monitor reported it under. */
const codeOf = (codings: Coding[], device: Coding | null, text: string) => ({ coding: device ? [...codings, device] : codings, text });

function bloodPressure(r: VitalRow, device: boolean) {
  const part = (code: Coding, mdcCode: Coding, value: number) => ({
    code: codeOf([code], device ? mdcCode : null, code.display),
    valueQuantity: quantity(mmHg(value)),
  });
  return {
    component: [
      part(loinc('8480-6', 'Systolic blood pressure'), mdc('150021', 'MDC_PRESS_BLD_NONINV_SYS'), r.systolic as number),
      part(loinc('8462-4', 'Diastolic blood pressure'), mdc('150022', 'MDC_PRESS_BLD_NONINV_DIA'), r.diastolic as number),
    ],
  };
}

/** The monitor: a reference to its Device when it is registered, and always its identifier. */
function deviceOf(r: VitalRow) {
  if (!r.deviceId) return {};
  const identifier = { system: deviceSystem(r.clinicId), value: r.deviceId };
  return { device: { ...(r.monitorId ? ref('Device', r.monitorId) : {}), identifier, display: r.deviceId } };
}

/** What every Observation of a reading shares: the patient, the session, who charted it. */
export function readingContext(r: VitalRow) {
  return {
    subject: ref('Patient', r.patientId),
    ...(r.sessionId ? { encounter: ref('Encounter', r.sessionId) } : {}),
    effectiveDateTime: r.measuredAt.toISOString(),
    issued: r.recordedAt.toISOString(),
    ...(r.recordedBy ? { performer: [ref('Practitioner', r.recordedBy)] } : {}),
  };
}

/** One measure of a reading as a vital-sign Observation (the caller checks `hasKind` first). */
export function toVitalObservation(r: VitalRow, kind: VitalKind): FhirResource {
  const spec = KIND_SPECS[kind];
  const device = r.source === 'device';
  const value = spec.value(r);
  return {
    resourceType: 'Observation',
    id: observationId(r.id, kind),
    meta: { versionId: '1', lastUpdated: r.recordedAt.toISOString(), profile: spec.profiles },
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' }],
    code: codeOf(spec.loinc, device ? spec.mdc : null, spec.text),
    ...readingContext(r),
    ...deviceOf(r),
    ...(kind === 'bp' ? bloodPressure(r, device) : value ? { valueQuantity: quantity(value) } : {}),
  };
}

/** Every Observation of a reading, in kind order. */
export const observationsOf = (r: VitalRow): FhirResource[] =>
  VITAL_KINDS.filter((k) => hasKind(r, k)).map((k) => toVitalObservation(r, k));
