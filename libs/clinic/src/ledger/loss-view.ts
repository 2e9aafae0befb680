import type { EntityManager } from 'typeorm';
import { CsEvent } from './cs-event.entity.js';
import type { CsLossReport } from './loss.entity.js';
import { CsProduct, CsRegistration } from './registry.entity.js';
import { CsContainer } from './stock.entity.js';

/** What DEA Form 106 asks, gathered for whoever files it on the DEA's site. */
export interface Form106Worksheet {
  registrantName: string;
  deaNumber: string;
  registeredAddress: string;
  kindOfLoss: 'theft' | 'loss';
  discoveredAt: string;
  /** What was lost, when a container was named. */
  items: Array<{ ndc: string; product: string; lot: string; container: string; quantity: number; unit: string; mg: number }>;
  narrative: string;
}

export interface LossView {
  id: string;
  registrationId: string;
  kind: 'theft' | 'loss';
  discoveredAt: string;
  narrative: string;
  containerId: string | null;
  quantity: number | null;
  unit: 'mL' | 'device' | null;
  lossEventId: string | null;
  status: CsLossReport['status'];
  noticeDueAt: string;
  notifiedAt: string | null;
  noticeReference: string | null;
  form106DueAt: string;
  form106FiledAt: string | null;
  form106Number: string | null;
  reportedBy: string;
  createdAt: string;
  worksheet: Form106Worksheet;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function lossView(m: EntityManager, r: CsLossReport): Promise<LossView> {
  const registration = await m.findOneByOrFail(CsRegistration, { id: r.registrationId });
  const items: Form106Worksheet['items'] = [];
  if (r.containerId && r.lossEventId) {
    const c = await m.findOneByOrFail(CsContainer, { id: r.containerId });
    const p = await m.findOneByOrFail(CsProduct, { id: c.productId });
    const e = await m.findOneByOrFail(CsEvent, { id: r.lossEventId });
    items.push({
      ndc: c.ndc,
      product: p.name,
      lot: c.lot,
      container: `${c.lot}/${c.seq}`,
      quantity: e.quantity,
      unit: e.unit,
      mg: e.quantityMg ?? 0,
    });
  }
  return {
    id: r.id,
    registrationId: r.registrationId,
    kind: r.kind,
    discoveredAt: r.discoveredAt.toISOString(),
    narrative: r.narrative,
    containerId: r.containerId,
    quantity: r.quantity,
    unit: r.unit,
    lossEventId: r.lossEventId,
    status: r.status,
    noticeDueAt: r.noticeDueAt.toISOString(),
    notifiedAt: iso(r.notifiedAt),
    noticeReference: r.noticeReference,
    form106DueAt: r.form106DueAt.toISOString(),
    form106FiledAt: iso(r.form106FiledAt),
    form106Number: r.form106Number,
    reportedBy: r.reportedBy,
    createdAt: r.createdAt.toISOString(),
    worksheet: {
      registrantName: registration.registrantName,
      deaNumber: registration.deaNumber,
      registeredAddress: registration.address,
      kindOfLoss: r.kind,
      discoveredAt: r.discoveredAt.toISOString(),
      items,
      narrative: r.narrative,
    },
  };
}
