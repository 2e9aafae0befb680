import { INTERACTING_CLASSES, type Patient, type PatientMedication } from '../patients/index.js';
import type { VitalsSchedule } from '../protocols/index.js';
import type { Session } from '../sessions/index.js';
import type { VitalReading } from '../vitals/index.js';
import type { AdverseEvent, ObservationCheck } from './observation.entity.js';
import { atCheckpoint, hasBp } from './rems-rules.js';

type FormReading = Pick<VitalReading, 'id' | 'measuredAt' | 'phase' | 'systolic' | 'diastolic' | 'breachLevel' | 'breaches' | 'moaas'>;

/** What the REMS Patient Monitoring Form is filled from, as loaded for one esketamine session. */
export interface RemsFormRecords {
  session: Pick<Session, 'dosingStartedAt' | 'doseMg' | 'deliveredDoseMg' | 'baselineReadingId' | 'startOverrides'>;
  vitals: Pick<VitalsSchedule, 'checkpointsMin' | 'checkpointWindowMin'>;
  /** When the form is drawn up (the discharge, or now for a draft). */
  at: Date;
  /** Complete at discharge: the treatment's duration is known. */
  complete: boolean;
  readyToLeaveMin: number | null;
  patient: Pick<Patient, 'firstName' | 'lastName' | 'dateOfBirth' | 'sex'>;
  clinicName: string;
  /** Every reading of the session, oldest first. */
  readings: FormReading[];
  /** Earlier treatments of the patient on the same protocol. */
  earlierTreatments: number;
  lotNumber: string | null;
  medications: Pick<PatientMedication, 'name' | 'drugClass'>[];
  adverseEvents: Pick<AdverseEvent, 'kind' | 'severity' | 'onsetAt' | 'actionTaken' | 'outcome' | 'resolvedAt' | 'remsReportable'>[];
  checks: Pick<ObservationCheck, 'dissociation'>[];
  monitor: { name: string; email: string } | null;
  remsEnrolled: boolean;
}

type BloodPressure = { systolic: number | null; diastolic: number | null; measuredAt: string } | null;

/** The form's monitoring section: vitals acceptable, the three blood pressures, and the events it asks about. */
interface RemsMonitoring {
  vitalsAcceptableBeforeAdministration: boolean | null;
  vitalsAcceptableBeforeCompletion: boolean | null;
  bloodPressure: { beforeAdministration: BloodPressure; at40Min: BloodPressure; beforeCompletion: BloodPressure };
  sedation: boolean;
  dissociation: boolean;
  respiratoryDepression: boolean;
}

/** A form is a draft until the discharge stores it complete. */
export const REMS_FORM_STATUSES = ['draft', 'complete'] as const;
export type RemsFormStatus = (typeof REMS_FORM_STATUSES)[number];

/** The fields of the REMS Patient Monitoring Form, as stored at discharge and answered by the API. */
export interface RemsForm extends RemsMonitoring {
  patient: Pick<Patient, 'firstName' | 'lastName' | 'dateOfBirth' | 'sex'>;
  firstTreatment: boolean;
  remsEnrolled: boolean;
  concomitantMedications: { any: boolean; count: number; names: string[]; interacting: string[] };
  monitoringProvider: { name: string; email: string } | null;
  setting: { name: string };
  treatmentDate: string | null;
  doseMg: number | null;
  lotNumber: string | null;
  durationMin: number | null;
  readyToLeaveMin: number | null;
  adverseEvents: Array<
    Pick<AdverseEvent, 'kind' | 'severity' | 'actionTaken' | 'outcome' | 'remsReportable'> & { onsetAt: string; resolvedAt: string | null }
  >;
}

const bp = (r: FormReading | undefined): BloodPressure =>
  r ? { systolic: r.systolic, diastolic: r.diastolic, measuredAt: r.measuredAt.toISOString() } : null;

function monitoringFields(f: RemsFormRecords): RemsMonitoring {
  const { readings, session: s } = f;
  const preDoseBp = [...readings].reverse().find((r) => r.phase === 'pre-dose' && hasBp(r));
  const bp40 = readings.find(atCheckpoint(s.dosingStartedAt, f.vitals));
  const lastBp = [...readings].reverse().find((r) => hasBp(r) && r.phase !== 'pre-dose');
  const baseline = readings.find((r) => r.id === s.baselineReadingId);
  const event = (kind: string) => f.adverseEvents.some((e) => e.kind === kind);
  const breached = (test: (b: FormReading['breaches'][number]) => boolean) => readings.some((r) => r.breaches.some(test));
  return {
    vitalsAcceptableBeforeAdministration: baseline
      ? baseline.breachLevel === 'none' && !s.startOverrides.some((o) => o.code === 'BASELINE_BP_HIGH')
      : null,
    vitalsAcceptableBeforeCompletion: lastBp ? lastBp.breachLevel === 'none' : null,
    bloodPressure: { beforeAdministration: bp(preDoseBp), at40Min: bp(bp40), beforeCompletion: bp(lastBp) },
    sedation: breached((b) => b.measure === 'moaas') || event('sedation'),
    dissociation: f.checks.some((c) => c.dissociation === 'present') || event('dissociation'),
    respiratoryDepression:
      breached((b) => b.measure === 'spo2' || (b.measure === 'respiratoryRate' && b.rule === 'low')) || event('respiratory-depression'),
  };
}

/** The fields of the REMS Patient Monitoring Form (docs/clinical-rules.md section 4). */
export function remsFormFields(f: RemsFormRecords): RemsForm {
  const { session: s, patient } = f;
  const named = (x: RemsFormRecords['medications'][number]) => `${x.name} (${x.drugClass})`;
  const interacting = f.medications.filter((x) => INTERACTING_CLASSES.includes(x.drugClass));
  return {
    patient: { firstName: patient.firstName, lastName: patient.lastName, dateOfBirth: patient.dateOfBirth, sex: patient.sex },
    firstTreatment: f.earlierTreatments === 0,
    remsEnrolled: f.remsEnrolled,
    // Every current medication is concomitant; those that interact with esketamine are named apart.
    concomitantMedications: {
      any: f.medications.length > 0,
      count: f.medications.length,
      names: f.medications.map(named),
      interacting: interacting.map(named),
    },
    monitoringProvider: f.monitor,
    setting: { name: f.clinicName },
    treatmentDate: s.dosingStartedAt?.toISOString().slice(0, 10) ?? null,
    // The dose given (whole devices), once dosing has ended; the order before.
    doseMg: s.deliveredDoseMg ?? s.doseMg,
    lotNumber: f.lotNumber,
    durationMin: f.complete && s.dosingStartedAt ? Math.round((f.at.getTime() - s.dosingStartedAt.getTime()) / 60_000) : null,
    readyToLeaveMin: f.readyToLeaveMin,
    ...monitoringFields(f),
    // Each event once, in its latest state (an update changes the event itself), by onset.
    adverseEvents: [...f.adverseEvents]
      .sort((x, y) => x.onsetAt.getTime() - y.onsetAt.getTime())
      .map((e) => ({
        kind: e.kind,
        severity: e.severity,
        onsetAt: e.onsetAt.toISOString(),
        actionTaken: e.actionTaken,
        outcome: e.outcome,
        resolvedAt: e.resolvedAt?.toISOString() ?? null,
        remsReportable: e.remsReportable,
      })),
  };
}
