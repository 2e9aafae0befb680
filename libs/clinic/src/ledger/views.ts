import { containerLabel } from './ledger-book.js';
import type { CsDiscrepancy } from './discrepancy.entity.js';
import type { CsEvent } from './cs-event.entity.js';
import type { CsProduct, CsRegistration } from './registry.entity.js';
import type { CsContainer, CsReceipt } from './stock.entity.js';

export interface RegistrationView {
  id: string;
  deaNumber: string;
  registrantName: string;
  address: string;
  schedules: string[];
  expiresOn: string;
  stateLicenseNumber: string | null;
  version: number;
  createdAt: string;
}

export const registrationView = (r: CsRegistration): RegistrationView => ({
  id: r.id,
  deaNumber: r.deaNumber,
  registrantName: r.registrantName,
  address: r.address,
  schedules: r.schedules,
  expiresOn: r.expiresOn,
  stateLicenseNumber: r.stateLicenseNumber,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
});

export interface ProductView {
  id: string;
  /** false: one of Vigil's products. */
  clinicOwned: boolean;
  ndc: string | null;
  name: string;
  substance: 'ketamine' | 'esketamine';
  deaCode: number;
  schedule: string;
  form: 'injection' | 'nasal_spray';
  strengthMgPerMl: number | null;
  mgPerUnit: number;
  unitsPerContainer: number;
  unit: 'mL' | 'device';
  containerKind: 'vial' | 'kit';
}

export const productView = (p: CsProduct): ProductView => ({
  id: p.id,
  clinicOwned: p.clinicId !== null,
  ndc: p.ndc,
  name: p.name,
  substance: p.substance,
  deaCode: p.deaCode,
  schedule: p.schedule,
  form: p.form,
  strengthMgPerMl: p.strengthMgPerMl,
  mgPerUnit: p.mgPerUnit,
  unitsPerContainer: p.unitsPerContainer,
  unit: p.unit,
  containerKind: p.containerKind,
});

export interface ReceiptView {
  id: string;
  registrationId: string;
  productId: string;
  ndc: string;
  lot: string;
  expiresOn: string;
  supplierName: string;
  supplierAddress: string;
  supplierDeaNumber: string;
  invoiceNumber: string;
  invoiceDate: string | null;
  status: CsReceipt['status'];
  /** Withheld (null) until the blind count is in, so the receiver counts without it. */
  containersInvoiced: number | null;
  containersCounted: number | null;
  receivedOn: string | null;
  enteredBy: string;
  countedBy: string | null;
  countedAt: string | null;
  createdAt: string;
}

export const receiptView = (r: CsReceipt): ReceiptView => ({
  id: r.id,
  registrationId: r.registrationId,
  productId: r.productId,
  ndc: r.ndc,
  lot: r.lot,
  expiresOn: r.expiresOn,
  supplierName: r.supplierName,
  supplierAddress: r.supplierAddress,
  supplierDeaNumber: r.supplierDeaNumber,
  invoiceNumber: r.invoiceNumber,
  invoiceDate: r.invoiceDate,
  status: r.status,
  containersInvoiced: r.status === 'received' ? r.containersInvoiced : null,
  containersCounted: r.containersCounted,
  receivedOn: r.receivedOn,
  enteredBy: r.enteredBy,
  countedBy: r.countedBy,
  countedAt: r.countedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

/** A container as the staff picking one see it: no balance (counts are blind). */
export interface ContainerView {
  id: string;
  label: string;
  registrationId: string;
  productId: string;
  productName: string;
  unit: 'mL' | 'device';
  ndc: string;
  lot: string;
  expiresOn: string;
  /** Past its expiry on the clinic's today: kept in stock until destroyed or returned, never given. */
  expired: boolean;
  status: CsContainer['status'];
  statusReason: string | null;
  openedAt: string | null;
}

export const containerView = (c: CsContainer, p: CsProduct, today: string): ContainerView => ({
  id: c.id,
  label: containerLabel(c),
  registrationId: c.registrationId,
  productId: c.productId,
  productName: p.name,
  unit: p.unit,
  ndc: c.ndc,
  lot: c.lot,
  expiresOn: c.expiresOn,
  expired: c.expiresOn < today,
  status: c.status,
  statusReason: c.statusReason,
  openedAt: c.openedAt?.toISOString() ?? null,
});

export interface LedgerEventView {
  id: string;
  registrationId: string;
  containerId: string | null;
  kind: CsEvent['kind'];
  occurredAt: string;
  recordedAt: string;
  actorUserId: string;
  witnessUserId: string | null;
  quantity: number;
  unit: CsEvent['unit'];
  quantityMg: number | null;
  delta: number;
  balanceAfter: number | null;
  patientId: string | null;
  sessionId: string | null;
  receiptId: string | null;
  correctsEventId: string | null;
  reason: string | null;
  data: Record<string, unknown> | null;
}

export const eventView = (e: CsEvent): LedgerEventView => ({
  id: e.id,
  registrationId: e.registrationId,
  containerId: e.containerId,
  kind: e.kind,
  occurredAt: e.occurredAt.toISOString(),
  recordedAt: e.recordedAt.toISOString(),
  actorUserId: e.actorUserId,
  witnessUserId: e.witnessUserId,
  quantity: e.quantity,
  unit: e.unit,
  quantityMg: e.quantityMg,
  delta: e.delta,
  balanceAfter: e.balanceAfter,
  patientId: e.patientId,
  sessionId: e.sessionId,
  receiptId: e.receiptId,
  correctsEventId: e.correctsEventId,
  reason: e.reason,
  data: e.data,
});

export interface DiscrepancyView {
  id: string;
  registrationId: string;
  kind: CsDiscrepancy['kind'];
  containerId: string | null;
  receiptId: string | null;
  eventId: string | null;
  expected: number;
  found: number;
  /** found − expected */
  variance: number;
  unit: CsDiscrepancy['unit'];
  status: CsDiscrepancy['status'];
  openedAt: string;
  openedBy: string;
  dueAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  correctionEventId: string | null;
}

export const discrepancyView = (d: CsDiscrepancy): DiscrepancyView => ({
  id: d.id,
  registrationId: d.registrationId,
  kind: d.kind,
  containerId: d.containerId,
  receiptId: d.receiptId,
  eventId: d.eventId,
  expected: d.expected,
  found: d.found,
  variance: Math.round((d.found - d.expected) * 1000) / 1000,
  unit: d.unit,
  status: d.status,
  openedAt: d.openedAt.toISOString(),
  openedBy: d.openedBy,
  dueAt: d.dueAt.toISOString(),
  resolvedAt: d.resolvedAt?.toISOString() ?? null,
  resolvedBy: d.resolvedBy,
  resolution: d.resolution,
  correctionEventId: d.correctionEventId,
});
