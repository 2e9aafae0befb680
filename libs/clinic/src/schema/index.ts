import { PLATFORM_ENTITIES } from '#platform';
import { Alert, AlertEvent, AlertReading } from '../alerts/index.js';
import { Assessment } from '../assessments/index.js';
import { ConsentForm, PatientConsent } from '../consent/index.js';
import { FhirExport } from '../fhir/index.js';
import { FollowUp } from '../follow-ups/index.js';
import { DeviceCodeMap, DeviceUnitMap, Hl7Gateway, FeedMessage, Monitor, UnboundReading } from '../monitors/index.js';
import {
  CsContainer,
  CsDiscrepancy,
  CsDisposal,
  CsEvent,
  CsInventory,
  CsHoliday,
  CsLossDeadline,
  CsLossReport,
  CsProduct,
  CsReceipt,
  CsRegistration,
  CsReminder,
} from '../ledger/index.js';
import { AdverseEvent, Discharge, ObservationCheck, VitalsAttestation } from '../observation/index.js';
import { Patient, CautionAcknowledgement, PatientAllergy, PatientMedication, ScreeningAnswer, PatientWeight } from '../patients/index.js';
import { ProtocolVersion } from '../protocols/index.js';
import { Chair } from '../chairs/index.js';
import { Appointment, ClinicClosure, TreatmentSeries } from '../scheduling/index.js';
import { DoseAdministration, Session, SessionEvent } from '../sessions/index.js';
import { ClinicSettings } from '../settings/index.js';
import { PatientThresholds } from '../thresholds/index.js';
import { VitalReading } from '../vitals/index.js';

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
  FhirExport,
  ClinicClosure,
  DeviceCodeMap,
  DeviceUnitMap,
  Monitor,
  Hl7Gateway,
  FeedMessage,
  UnboundReading,
  CsRegistration,
  CsProduct,
  CsReceipt,
  CsContainer,
  CsEvent,
  CsDiscrepancy,
  CsHoliday,
  CsLossReport,
  CsLossDeadline,
  CsDisposal,
  CsInventory,
  CsReminder,
];
