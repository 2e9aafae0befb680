/** Queues by purpose (architecture.md). */
export enum QueueName {
  Alerts = 'alerts',
  FollowUps = 'follow-ups',
  Notifications = 'notifications',
  Maintenance = 'maintenance',
}

/**
 * Every job Vigil runs. A name here without exactly one @JobHandler stops the worker at start-up.
 * Names of pending-work kinds double as `pending_work.kind`.
 */
export enum JobName {
  SweepPendingWork = 'sweep-pending-work',
  ExpireRefreshToken = 'expire-refresh-token',
  /** A session's next reading is late (clinical-rules.md section 3): raise "vitals overdue". */
  VitalsOverdue = 'vitals-overdue',
  /** A critical alert still unacknowledged: tell the session's anesthesiologist. */
  EscalateAlertToSession = 'escalate-alert-to-session',
  /** …and later every anesthesiologist of the clinic. */
  EscalateAlertToAll = 'escalate-alert-to-all',
  /** The minimum observation has passed: tell the session's nurse discharge may be assessed. */
  ObservationComplete = 'observation-complete',
  /** Esketamine: 40 minutes after the first device, is the label's blood pressure recorded? */
  RemsBpCheck = 'rems-bp-check',
  /** A follow-up's time has come: it shows as due and its assignees are told. */
  FollowUpDue = 'follow-up-due',
  /** A follow-up still open at its escalation time (REMS form at day 5): tell the administrators. */
  FollowUpEscalate = 'follow-up-escalate',
  /** Send one outbox message by SMTP. */
  DeliverNotification = 'deliver-notification',
  /** The day before an appointment: remind the patient the way they chose, if they agreed to it. */
  AppointmentReminder = 'appointment-reminder',
  /** A controlled-substance loss report's reminder or overdue alert (notice to the DEA, Form 106). */
  LedgerLossDeadline = 'ledger-loss-deadline',
  /** A controlled-substance discrepancy still open when due: tell the anesthesiologists and administrators. */
  LedgerDiscrepancyOverdue = 'ledger-discrepancy-overdue',
  /** The monitor feed's raw message log: rows past their clinic's retention are deleted; each run schedules the next. */
  SweepHl7Log = 'sweep-hl7-log',
  /** A FHIR Bulk Data export: write its NDJSON files, resuming from its last committed page. */
  FhirExport = 'fhir-export',
  /** A finished FHIR export's retention is over: delete its files and its row. */
  FhirExportExpire = 'fhir-export-expire',
  /** A controlled-substance duty with a date: the biennial inventory, a DEA registration's renewal or lapse. */
  LedgerReminder = 'ledger-reminder',
}

/** Payload of a job that triggers a pending-work row: ids only, the row is the record. */
export interface PendingWorkJob {
  workId: string;
  requestId?: string;
}

export interface JobPayloads {
  [JobName.SweepPendingWork]: { requestId?: string };
  [JobName.ExpireRefreshToken]: PendingWorkJob;
  [JobName.VitalsOverdue]: PendingWorkJob;
  [JobName.EscalateAlertToSession]: PendingWorkJob;
  [JobName.EscalateAlertToAll]: PendingWorkJob;
  [JobName.ObservationComplete]: PendingWorkJob;
  [JobName.RemsBpCheck]: PendingWorkJob;
  [JobName.FollowUpDue]: PendingWorkJob;
  [JobName.FollowUpEscalate]: PendingWorkJob;
  [JobName.DeliverNotification]: PendingWorkJob;
  [JobName.AppointmentReminder]: PendingWorkJob;
  [JobName.LedgerLossDeadline]: PendingWorkJob;
  [JobName.LedgerDiscrepancyOverdue]: PendingWorkJob;
  [JobName.SweepHl7Log]: PendingWorkJob;
  [JobName.FhirExport]: PendingWorkJob;
  [JobName.FhirExportExpire]: PendingWorkJob;
  [JobName.LedgerReminder]: PendingWorkJob;
}

export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  [JobName.SweepPendingWork]: QueueName.Maintenance,
  [JobName.ExpireRefreshToken]: QueueName.Maintenance,
  [JobName.VitalsOverdue]: QueueName.Alerts,
  [JobName.EscalateAlertToSession]: QueueName.Alerts,
  [JobName.EscalateAlertToAll]: QueueName.Alerts,
  [JobName.ObservationComplete]: QueueName.Alerts,
  [JobName.RemsBpCheck]: QueueName.Alerts,
  [JobName.FollowUpDue]: QueueName.FollowUps,
  [JobName.FollowUpEscalate]: QueueName.FollowUps,
  [JobName.DeliverNotification]: QueueName.Notifications,
  [JobName.AppointmentReminder]: QueueName.FollowUps,
  [JobName.LedgerLossDeadline]: QueueName.FollowUps,
  [JobName.LedgerDiscrepancyOverdue]: QueueName.FollowUps,
  [JobName.SweepHl7Log]: QueueName.Maintenance,
  [JobName.FhirExport]: QueueName.Maintenance,
  [JobName.FhirExportExpire]: QueueName.Maintenance,
  [JobName.LedgerReminder]: QueueName.FollowUps,
};

/** Job names that carry out a `pending_work` row; each has the payload PendingWorkJob. */
export type PendingWorkKind =
  | JobName.ExpireRefreshToken
  | JobName.VitalsOverdue
  | JobName.EscalateAlertToSession
  | JobName.EscalateAlertToAll
  | JobName.ObservationComplete
  | JobName.RemsBpCheck
  | JobName.FollowUpDue
  | JobName.FollowUpEscalate
  | JobName.DeliverNotification
  | JobName.AppointmentReminder
  | JobName.LedgerLossDeadline
  | JobName.LedgerDiscrepancyOverdue
  | JobName.SweepHl7Log
  | JobName.FhirExport
  | JobName.FhirExportExpire
  | JobName.LedgerReminder;
export const PENDING_WORK_KINDS: ReadonlySet<JobName> = new Set<PendingWorkKind>([
  JobName.ExpireRefreshToken,
  JobName.VitalsOverdue,
  JobName.EscalateAlertToSession,
  JobName.EscalateAlertToAll,
  JobName.ObservationComplete,
  JobName.RemsBpCheck,
  JobName.FollowUpDue,
  JobName.FollowUpEscalate,
  JobName.DeliverNotification,
  JobName.AppointmentReminder,
  JobName.LedgerLossDeadline,
  JobName.LedgerDiscrepancyOverdue,
  JobName.SweepHl7Log,
  JobName.FhirExport,
  JobName.FhirExportExpire,
  JobName.LedgerReminder,
]);

/** Attempts one job makes (with exponential backoff) before it is kept as failed. */
export const JOB_ATTEMPTS = 8;

/**
 * The job id of a pending row: `<kind>-<uuid>-<due ms>-<round>` (BullMQ refuses `:` in ids).
 * Adding it again is a no-op. Moving the due time gives a new id, and the job left at the old time
 * finds the row not yet due (or done) and does nothing. `round` counts exhausted retry series:
 * once a job has failed JOB_ATTEMPTS times it stays failed on the board, and the sweeper's next add
 * is a new job, so work that keeps failing is retried, visibly, and never silently dropped.
 */
export function pendingWorkJobId(kind: JobName | string, workId: string, dueAt: Date, attempts = 0): string {
  return `${kind}-${workId}-${dueAt.getTime()}-${Math.floor(attempts / JOB_ATTEMPTS)}`;
}
