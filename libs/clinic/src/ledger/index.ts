export * from './vocabulary.js';
export { CS_EVENT_KINDS, CsEvent, type CsEventKind } from './cs-event.entity.js';
export { CsDiscrepancy } from './discrepancy.entity.js';
export { CsProduct, CsRegistration, DEA_SCHEDULES, type DeaSchedule } from './registry.entity.js';
export { CONTAINER_STATUSES, CsContainer, CsReceipt, type ContainerStatus } from './stock.entity.js';
export { LedgerRegistryService, type ProductInput, type RegistrationChanges, type RegistrationInput } from './registry.service.js';
export { LedgerReceiptsService, type CountedReceipt, type ReceiptCount, type ReceiptInput } from './receipts.service.js';
export {
  LedgerReportsService,
  type ContainerFilter,
  type DispensingReport,
  type EventFilter,
  type OnHandLine,
  type OnHandReport,
} from './reports.service.js';
export { DISPENSING_COLUMNS, type DispensingRow } from './dispensing-log.js';
export type { ContainerView, DiscrepancyView, LedgerEventView, ProductView, ReceiptView, RegistrationView } from './views.js';
export { LedgerWasteCountService, type CountInput, type CountResult, type WasteInput } from './waste-count.service.js';
export { LedgerCustodyService, type Resolution } from './custody.service.js';
export { CsHoliday, CsLossDeadline, CsLossReport, type LossStatus } from './loss.entity.js';
export { LedgerLossesService, type LossInput } from './losses.service.js';
export type { Form106Worksheet, LossView } from './loss-view.js';
export { LedgerHolidaysService, type HolidayView } from './holidays.service.js';
export { LedgerAlerts } from './ledger-alerts.js';
export { CsDisposal } from './disposal.entity.js';
export { LedgerDisposalsService, type DestructionInput, type TransferInput } from './disposals.service.js';
export type { DisposalItem, DisposalView } from './disposal-view.js';
export { CsInventory, CsReminder } from './inventory.entity.js';
export { LedgerInventoriesService, type InventoryInput, type InventoryLineInput } from './inventories.service.js';
export type { InventoryLine, InventoryProductLine, InventoryView } from './inventory-view.js';
export { addMonths, inventoryMilestones, registrationMilestones, RENEWAL_LEAD_DAYS } from './reminders.js';
export {
  LedgerInspectionService,
  RANGE_REPORTS,
  type OnHandInspection,
  type RangeReport,
  type RangeReportName,
  type ReportHeading,
} from './inspection.service.js';
export type { DiscrepancyRow, LossRow, ReceiptRow } from './inspection-rows.js';
export type { DisposalRow, InventoryRow, OnHandRow } from './inspection-stock-rows.js';
export { toCsv, sha256Of, type Columns } from './report-csv.js';
export { LedgerPrintService, type Printed } from './print.service.js';
