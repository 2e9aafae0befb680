import { Init1795294705754 } from './1795294705754-Init.js';
import { PatientsConsentProtocols1795297639860 } from './1795297639860-PatientsConsentProtocols.js';
import { ClinicSettings1795298813570 } from './1795298813570-ClinicSettings.js';
import { SeedDefaults1795298813571 } from './1795298813571-SeedDefaults.js';
import { ObservationOutcomes1795301398375 } from './1795301398375-ObservationOutcomes.js';
import { Scheduling1795302529310 } from './1795302529310-Scheduling.js';
import { TreatmentSeries1795302922229 } from './1795302922229-TreatmentSeries.js';
import { FollowUpEscalation1795303252082 } from './1795303252082-FollowUpEscalation.js';
import { NotificationCursor1795303859083 } from './1795303859083-NotificationCursor.js';
import { FollowUpTimings1795305559441 } from './1795305559441-FollowUpTimings.js';
import { SessionsVitalsAlerts1795299554592 } from './1795299554592-SessionsVitalsAlerts.js';

import { MaintenanceRemindersContact1795307568988 } from './1795307568988-MaintenanceRemindersContact.js';
import { FollowUpOverdueEscalation1795309532239 } from './1795309532239-FollowUpOverdueEscalation.js';
import { OutcomeBaselineWindow1795965101195 } from './1795965101195-OutcomeBaselineWindow.js';
import { DeliveredDose1795965695066 } from './1795965695066-DeliveredDose.js';
import { AdverseEventCourse1795966225251 } from './1795966225251-AdverseEventCourse.js';
import { ReadingCorrections1795966449536 } from './1795966449536-ReadingCorrections.js';
import { AuditClaimedRequestId1795966799488 } from './1795966799488-AuditClaimedRequestId.js';
import { LoginThrottle1795967228462 } from './1795967228462-LoginThrottle.js';
import { IdempotencyKeysPerUser1795967900000 } from './1795967900000-IdempotencyKeysPerUser.js';
import { ClinicClosures1795967948125 } from './1795967948125-ClinicClosures.js';
import { DatabaseRoles1795968762626 } from './1795968762626-DatabaseRoles.js';
import { AbortedAppointments1795969150074 } from './1795969150074-AbortedAppointments.js';
import { SessionChairs1796598029799 } from './1796598029799-SessionChairs.js';
import { PasswordChangeRequired1796598182811 } from './1796598182811-PasswordChangeRequired.js';
import { ControlledSubstanceLedger1796598235935 } from './1796598235935-ControlledSubstanceLedger.js';
import { SeedControlledSubstanceProducts1796598235936 } from './1796598235936-SeedControlledSubstanceProducts.js';
import { DeviceCodeMaps1796598482910 } from './1796598482910-DeviceCodeMaps.js';
import { SeedDeviceCodeMaps1796598482911 } from './1796598482911-SeedDeviceCodeMaps.js';
import { ClinicProfileVersion1796598553417 } from './1796598553417-ClinicProfileVersion.js';
import { Monitors1796599024237 } from './1796599024237-Monitors.js';
import { ConsentFormRetirement1796599271017 } from './1796599271017-ConsentFormRetirement.js';
import { DeliveredDoseTolerance1796599714328 } from './1796599714328-DeliveredDoseTolerance.js';
import { Hl7Feed1796599773863 } from './1796599773863-Hl7Feed.js';
import { ControlledSubstanceLosses1796601672690 } from './1796601672690-ControlledSubstanceLosses.js';
import { UnboundReadingResolution1796601866140 } from './1796601866140-UnboundReadingResolution.js';
import { PatientMrnAnyCase1796602159252 } from './1796602159252-PatientMrnAnyCase.js';
import { Hl7FeedTimeAndRetention1796607444190 } from './1796607444190-Hl7FeedTimeAndRetention.js';
import { ControlledSubstanceDisposals1796607565644 } from './1796607565644-ControlledSubstanceDisposals.js';
import { ControlledSubstanceSettings1796608635991 } from './1796608635991-ControlledSubstanceSettings.js';
import { ControlledSubstanceInventories1796608635992 } from './1796608635992-ControlledSubstanceInventories.js';
import { FhirExports1796609468589 } from './1796609468589-FhirExports.js';
/** Every migration, in order. `npm run migration:generate -- Name` writes a new file; read it, then add it here. Data migrations (Seed…) come after the schema they fill. */
export const MIGRATIONS = [
  Init1795294705754,
  PatientsConsentProtocols1795297639860,
  ClinicSettings1795298813570,
  SeedDefaults1795298813571,
  SessionsVitalsAlerts1795299554592,
  ObservationOutcomes1795301398375,
  Scheduling1795302529310,
  TreatmentSeries1795302922229,
  FollowUpEscalation1795303252082,
  NotificationCursor1795303859083,
  FollowUpTimings1795305559441,
  MaintenanceRemindersContact1795307568988,
  FollowUpOverdueEscalation1795309532239,
  OutcomeBaselineWindow1795965101195,
  DeliveredDose1795965695066,
  AdverseEventCourse1795966225251,
  ReadingCorrections1795966449536,
  AuditClaimedRequestId1795966799488,
  LoginThrottle1795967228462,
  IdempotencyKeysPerUser1795967900000,
  ClinicClosures1795967948125,
  DatabaseRoles1795968762626,
  AbortedAppointments1795969150074,
  SessionChairs1796598029799,
  PasswordChangeRequired1796598182811,
  ControlledSubstanceLedger1796598235935,
  SeedControlledSubstanceProducts1796598235936,
  DeviceCodeMaps1796598482910,
  SeedDeviceCodeMaps1796598482911,
  ClinicProfileVersion1796598553417,
  Monitors1796599024237,
  ConsentFormRetirement1796599271017,
  DeliveredDoseTolerance1796599714328,
  Hl7Feed1796599773863,
  ControlledSubstanceLosses1796601672690,
  UnboundReadingResolution1796601866140,
  PatientMrnAnyCase1796602159252,
  Hl7FeedTimeAndRetention1796607444190,
  ControlledSubstanceDisposals1796607565644,
  ControlledSubstanceSettings1796608635991,
  ControlledSubstanceInventories1796608635992,
  FhirExports1796609468589,
];
