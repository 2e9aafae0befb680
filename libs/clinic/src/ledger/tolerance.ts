import type { InventoryMethod } from './vocabulary.js';

/**
 * Whether a count's variance opens no discrepancy: none at all, or an estimated measure of an opened
 * vial within the clinic's tolerance in mL (`csEstimateToleranceMl`, default 0). A sealed container
 * and esketamine devices are counted exactly: any difference opens one.
 */
export function varianceTolerated(method: InventoryMethod, unit: 'mL' | 'device', variance: number, toleranceMl: number): boolean {
  if (variance === 0) return true;
  return method === 'estimated' && unit === 'mL' && Math.abs(variance) <= toleranceMl + 1e-9;
}

/** How a container is counted: exactly while sealed or when it holds devices; an opened vial is an estimated measure (21 CFR 1304.11(e)(3)). */
export const countMethod = (sealed: boolean, unit: 'mL' | 'device'): InventoryMethod =>
  sealed || unit === 'device' ? 'counted' : 'estimated';
