import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AlertStreamService } from './alerts/alert-stream.service.js';
import { AlertsService } from './alerts/alerts.service.js';
import { AssessmentsService } from './assessments/assessments.service.js';
import { ConsentFormsService } from './consent/consent-forms.service.js';
import { ConsentSignaturesService } from './consent/consent-signatures.service.js';
import { ConsentService } from './consent/consent.service.js';
import { DoseHistorySource } from './dosing/dose-history.js';
import { DosingService } from './dosing/dosing.service.js';
import { ClinicEventBus } from './events/clinic-event-bus.js';
import { FhirObservationsService } from './fhir/fhir-observations.service.js';
import { FhirPatientsService } from './fhir/fhir-patients.service.js';
import { FhirTablesService } from './fhir/fhir-tables.service.js';
import { FhirExportPages } from './fhir/export-pages.js';
import { FhirExportRunner } from './fhir/fhir-export.runner.js';
import { FhirExportsService } from './fhir/fhir-exports.service.js';
import { FollowUpsService } from './follow-ups/follow-ups.service.js';
import { AdverseEventsService } from './observation/adverse-events.service.js';
import { DischargeService } from './observation/discharge.service.js';
import { ObservationService } from './observation/observation.service.js';
import { RemsService } from './observation/rems.service.js';
import { CareGuard } from './patients/care-guard.js';
import { PatientCareService } from './patients/care.service.js';
import { PatientsService } from './patients/patients.service.js';
import { ScreeningService } from './patients/screening.service.js';
import { WeightsService } from './patients/weights.service.js';
import { Hl7FeedService } from './monitors/feed.service.js';
import { MonitorsService } from './monitors/monitors.service.js';
import { UnboundReadingsService } from './monitors/unbound-readings.service.js';
import { FeedLogService } from './monitors/feed-log-view.service.js';
import { FeedLogRetention } from './monitors/feed-log-retention.js';
import { FeedRetractions } from './monitors/feed-retractions.js';
import { ClockWatch } from './monitors/clock-drift.js';
import { Hl7GatewaysService } from './monitors/gateways.service.js';
import { GatewayMapsService } from './monitors/gateway-maps.service.js';
import { ProtocolsService } from './protocols/protocols.service.js';
import { AppointmentRemindersService } from './scheduling/appointment-reminders.service.js';
import { AppointmentsService } from './scheduling/appointments.service.js';
import { ChairsService } from './chairs/chairs.service.js';
import { ClinicProfileService } from './scheduling/clinic-profile.service.js';
import { ChairRetirementGuard } from './scheduling/chair-retirement.js';
import { ClosuresService } from './scheduling/closures.service.js';
import { DayScheduleService } from './scheduling/day-schedule.service.js';
import { MaintenanceService } from './scheduling/maintenance.service.js';
import { TreatmentSeriesService } from './scheduling/series.service.js';
import { SchedulingReactions } from './scheduling/session-reactions.js';
import { SessionsService } from './sessions/sessions.service.js';
import { SessionStartService } from './sessions/session-start.service.js';
import { DoseChangesService } from './sessions/dose-changes.service.js';
import { SessionReactions } from './sessions/session-reactions.js';
import { SessionBoardService } from './session-views/board.service.js';
import { SessionViewsService } from './session-views/session-views.service.js';
import { WallBoardSignals } from './session-views/wall-board-signals.js';
import { WallBoardService } from './session-views/wall-board.service.js';
import { RiskAlerts } from './alerts/risk-alerts.js';
import { VitalsIngestService } from './vitals/ingest.service.js';
import { VitalsOverdueService } from './vitals/vitals-overdue.service.js';
import { ClinicSettingsService } from './settings/clinic-settings.service.js';
import { ThresholdsService } from './thresholds/thresholds.service.js';
import { VitalsService } from './vitals/vitals.service.js';
import { ThresholdChecks } from './thresholds/threshold-checks.js';
import { AlertEscalationService } from './alerts/alert-escalation.service.js';
import { LedgerAdministration } from './ledger/administration.js';
import { LedgerCustodyService } from './ledger/custody.service.js';
import { LedgerDisposalsService } from './ledger/disposals.service.js';
import { LedgerInventoriesService } from './ledger/inventories.service.js';
import { LedgerInspectionService } from './ledger/inspection.service.js';
import { LedgerPrintService } from './ledger/print.service.js';
import { LedgerHolidaysService } from './ledger/holidays.service.js';
import { LedgerAlerts } from './ledger/ledger-alerts.js';
import { LedgerLossesService } from './ledger/losses.service.js';
import { LedgerWasteCountService } from './ledger/waste-count.service.js';
import { LedgerReceiptsService } from './ledger/receipts.service.js';
import { LedgerRegistryService } from './ledger/registry.service.js';
import { LedgerReportsService } from './ledger/reports.service.js';

const SERVICES = [
  ClinicEventBus,
  ClinicSettingsService,
  ProtocolsService,
  PatientsService,
  WeightsService,
  ScreeningService,
  PatientCareService,
  ConsentService,
  ConsentFormsService,
  ConsentSignaturesService,
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
  RemsService,
  DischargeService,
  ChairsService,
  ClinicProfileService,
  AppointmentRemindersService,
  AppointmentsService,
  TreatmentSeriesService,
  MaintenanceService,
  DayScheduleService,
  SchedulingReactions,
  SessionStartService,
  DoseChangesService,
  SessionReactions,
  SessionBoardService,
  WallBoardService,
  RiskAlerts,
  VitalsIngestService,
  VitalsOverdueService,
  ThresholdChecks,
  AlertEscalationService,
  AdverseEventsService,
  CareGuard,
  ClosuresService,
  MonitorsService,
  Hl7FeedService,
  UnboundReadingsService,
  FeedLogService,
  FeedLogRetention,
  FeedRetractions,
  ClockWatch,
  Hl7GatewaysService,
  GatewayMapsService,
  LedgerRegistryService,
  LedgerReceiptsService,
  LedgerReportsService,
  LedgerAdministration,
  LedgerWasteCountService,
  LedgerCustodyService,
  LedgerLossesService,
  LedgerHolidaysService,
  LedgerAlerts,
  LedgerDisposalsService,
  LedgerInventoriesService,
  LedgerInspectionService,
  LedgerPrintService,
  FhirPatientsService,
  FhirObservationsService,
  FhirTablesService,
  FhirExportPages,
  FhirExportsService,
  FhirExportRunner,
  ChairRetirementGuard,
  // Last: the board hears of a change once every other reaction to it is made.
  WallBoardSignals,
];

/** The clinical domains' services, for the API and the worker (which runs their job handlers). */
@Module({ imports: [DiscoveryModule], providers: SERVICES, exports: SERVICES })
export class ClinicModule {}
