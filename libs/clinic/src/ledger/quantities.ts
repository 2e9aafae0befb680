import { roundTo } from '../dosing/index.js';

/** How a product is counted: mL of a solution (mg per mL), or whole devices (mg per device). */
export interface Presentation {
  unit: 'mL' | 'device';
  mgPerUnit: number;
}

/** Quantities are kept to 0.001 of their unit (a microlitre, for mL): exact for 10, 50 and 100 mg/mL at 0.1 mg. */
export const qty = (x: number): number => roundTo(x, 3);

/**
 * A dose in the container's own unit: mg ÷ mg/mL for a vial, whole devices for esketamine (Spravato
 * label: 28 mg per device, a 56 mg dose is 2 devices, 84 mg 3). A dose that is not a whole number of
 * devices cannot be drawn from a kit.
 */
export function quantityForDose(p: Presentation, doseMg: number): { quantity: number } | { problem: string } {
  const exact = doseMg / p.mgPerUnit;
  if (p.unit === 'device') {
    const devices = Math.round(exact);
    if (Math.abs(exact - devices) > 1e-9 || devices < 1)
      return { problem: `${doseMg} mg is not a whole number of ${p.mgPerUnit} mg devices` };
    return { quantity: devices };
  }
  return { quantity: qty(exact) };
}

/** The mg in a quantity of the product. */
export const mgOf = (p: Presentation, quantity: number): number => roundTo(quantity * p.mgPerUnit, 3);
