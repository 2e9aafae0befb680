import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ClinicModule } from '#clinic';
import { PlatformModule, QueueWorkerModule, type Clock, type VigilRuntime } from '#platform';
import { AlertsController } from './alerts/alerts.controller.js';
import { ClinicSettingsController } from './alerts/clinic-settings.controller.js';
import { ThresholdsController } from './alerts/thresholds.controller.js';
import { AuditController } from './audit/audit.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { WallBoardFeed } from './board/wall-board-feed.js';
import { WallBoardController } from './board/wall-board.controller.js';
import { ClinicProfileController } from './clinic/clinic-profile.controller.js';
import { ConsentFormsController, PatientConsentsController } from './consent/consent.controller.js';
import { FhirController } from './fhir/fhir.controller.js';
import { FhirExportController } from './fhir/fhir-export.controller.js';
import { FhirMethodsController } from './fhir/fhir-methods.controller.js';
import { FhirRecordsController } from './fhir/fhir-records.controller.js';
import { FollowUpsController } from './follow-ups/follow-ups.controller.js';
import { AuthGuard } from './http/auth.guard.js';
import { ErrorFilter } from './http/error.filter.js';
import { IdempotencyInterceptor } from './http/idempotency.interceptor.js';
import { MllpListener } from './hl7/mllp-listener.js';
import { MonitorsController } from './monitors/monitors.controller.js';
import { UnboundReadingsController } from './monitors/unbound-readings.controller.js';
import { FeedLogController } from './monitors/feed-log.controller.js';
import { GatewaysController } from './monitors/gateways.controller.js';
import { LedgerCustodyController } from './ledger/custody.controller.js';
import { LedgerDisposalsController } from './ledger/disposals.controller.js';
import { LedgerInventoriesController } from './ledger/inventories.controller.js';
import { LedgerReportsPrintController } from './ledger/reports-print.controller.js';
import { LedgerReportsController } from './ledger/reports.controller.js';
import { LedgerLossesController } from './ledger/losses.controller.js';
import { LedgerRegistryController } from './ledger/registry.controller.js';
import { LedgerStockController } from './ledger/stock.controller.js';
import { HealthController } from './operations/health.controller.js';
import { Metrics, MetricsController } from './operations/metrics.js';
import { NotificationsController } from './operations/notifications.controller.js';
import { AssessmentsController } from './patients/assessments.controller.js';
import { PatientsController } from './patients/patients.controller.js';
import { ProtocolsController } from './protocols/protocols.controller.js';
import { ClosuresController } from './scheduling/closures.controller.js';
import { SchedulingController } from './scheduling/scheduling.controller.js';
import { ObservationController } from './sessions/observation.controller.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { StaffController } from './users/staff.controller.js';
import { UsersController } from './users/users.controller.js';

@Module({})
export class AppModule {
  /** The HTTP API; with `worker` (WORKER_EMBEDDED) the queue processors and sweeper run here too. */
  static forRoot(runtime: VigilRuntime, opts: { worker: boolean; clock?: Clock | undefined }): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(runtime, { clock: opts.clock }), ClinicModule, ...(opts.worker ? [QueueWorkerModule] : [])],
      controllers: [
        AuthController,
        UsersController,
        StaffController,
        AuditController,
        PatientsController,
        PatientConsentsController,
        ConsentFormsController,
        ProtocolsController,
        FollowUpsController,
        SessionsController,
        ObservationController,
        AssessmentsController,
        SchedulingController,
        ClosuresController,
        MonitorsController,
        UnboundReadingsController,
        FeedLogController,
        GatewaysController,
        AlertsController,
        WallBoardController,
        ThresholdsController,
        ClinicSettingsController,
        ClinicProfileController,
        NotificationsController,
        HealthController,
        MetricsController,
        LedgerRegistryController,
        LedgerStockController,
        LedgerCustodyController,
        LedgerLossesController,
        LedgerDisposalsController,
        LedgerInventoriesController,
        LedgerReportsController,
        LedgerReportsPrintController,
        FhirController,
        FhirRecordsController,
        FhirExportController,
        FhirMethodsController,
      ],
      providers: [
        Metrics,
        MllpListener,
        WallBoardFeed,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
