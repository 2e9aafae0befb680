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
import { AuditClaimedRequestId1795966799488 } from './1795966799488-AuditClaimedRequestId.js';
import { DatabaseRoles1795968762626 } from './1795968762626-DatabaseRoles.js';
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
  AuditClaimedRequestId1795966799488,
  DatabaseRoles1795968762626,
];
