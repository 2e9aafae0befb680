import { Module } from '@nestjs/common';
import { AlertStreamService } from './alerts/alert-stream.service.js';
import { AlertsService } from './alerts/alerts.service.js';
import { AssessmentsService } from './assessments/assessments.service.js';
import { ConsentService } from './consent/consent.service.js';
import { DoseHistorySource } from './dosing/dose-history.js';
import { DosingService } from './dosing/dosing.service.js';
import { FollowUpsService } from './follow-ups/follow-ups.service.js';
import { ObservationService } from './observation/observation.service.js';
import { PatientsService } from './patients/patients.service.js';
import { ScreeningService } from './patients/screening.service.js';
import { ProtocolsService } from './protocols/protocols.service.js';
import { SchedulingService } from './scheduling/scheduling.service.js';
import { SessionViewsService } from './sessions/session-views.service.js';
import { SessionsService } from './sessions/sessions.service.js';
import { ClinicSettingsService } from './thresholds/clinic-settings.service.js';
import { ThresholdsService } from './thresholds/thresholds.service.js';
import { VitalsService } from './vitals/vitals.service.js';

const SERVICES = [
  ClinicSettingsService,
  ProtocolsService,
  PatientsService,
  ScreeningService,
  ConsentService,
  FollowUpsService,
  DoseHistorySource,
  DosingService,
  ThresholdsService,
  AlertsService,
  AlertStreamService,
  SessionsService,
  SessionViewsService,
  VitalsService,
  AssessmentsService,
  ObservationService,
  SchedulingService,
];

/** The clinical domains' services, for the API and the worker (which runs their job handlers). */
@Module({ providers: SERVICES, exports: SERVICES })
export class ClinicModule {}
