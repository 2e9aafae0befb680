import { PLATFORM_ENTITIES } from '#platform';
import { Alert, AlertEvent, AlertReading } from '../alerts/alert.entity.js';
import { Assessment } from '../assessments/assessment.entity.js';
import { ConsentForm } from '../consent/consent-form.entity.js';
import { PatientConsent } from '../consent/patient-consent.entity.js';
import { FollowUp } from '../follow-ups/follow-up.entity.js';
import { AdverseEvent, Discharge, ObservationCheck, VitalsAttestation } from '../observation/observation.entity.js';
import { Patient } from '../patients/patient.entity.js';
import { CautionAcknowledgement, PatientAllergy, PatientMedication, ScreeningAnswer } from '../patients/screening.entity.js';
import { PatientWeight } from '../patients/weight.entity.js';
import { ProtocolVersion } from '../protocols/protocol.entity.js';
import { Appointment, Chair, TreatmentSeries } from '../scheduling/scheduling.entity.js';
import { DoseAdministration, Session, SessionEvent } from '../sessions/session.entity.js';
import { ClinicSettings } from '../settings/clinic-settings.entity.js';
import { PatientThresholds } from '../thresholds/patient-thresholds.entity.js';
import { VitalReading } from '../vitals/vital-reading.entity.js';

/**
 * Every entity Vigil maps: the platform's, then each clinical domain's. The API, the worker, the
 * CLI and the tests all load this one list.
 */
export const ENTITIES = [
  ...PLATFORM_ENTITIES,
  ClinicSettings,
  ProtocolVersion,
  Patient,
  PatientWeight,
  ScreeningAnswer,
  PatientAllergy,
  PatientMedication,
  CautionAcknowledgement,
  ConsentForm,
  PatientConsent,
  FollowUp,
  PatientThresholds,
  Session,
  SessionEvent,
  DoseAdministration,
  VitalReading,
  Alert,
  AlertReading,
  AlertEvent,
  ObservationCheck,
  AdverseEvent,
  VitalsAttestation,
  Discharge,
  Assessment,
  Chair,
  TreatmentSeries,
  Appointment,
];
