import type { Monitor } from './monitor.entity.js';

export interface MonitorView {
  id: string;
  name: string;
  chairId: string;
  eui64: string | null;
  location: string | null;
  active: boolean;
  retiredAt: string | null;
  retiredBy: string | null;
  retireReason: string | null;
  createdBy: string;
  createdAt: string;
  version: number;
}

export const monitorView = (m: Monitor): MonitorView => ({
  id: m.id,
  name: m.name,
  chairId: m.chairId,
  eui64: m.eui64,
  location: m.location,
  active: m.retiredAt === null,
  retiredAt: m.retiredAt?.toISOString() ?? null,
  retiredBy: m.retiredBy,
  retireReason: m.retireReason,
  createdBy: m.createdBy,
  createdAt: m.createdAt.toISOString(),
  version: m.version,
});

/** What a monitor is registered with, as an administrator sends it. */
export interface MonitorInput {
  name: string;
  chairId: string;
  eui64?: string | null;
  location?: string | null;
}
