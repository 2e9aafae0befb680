/**
 * How a device's codes and units become Vigil's fields: data (table device_code_maps and
 * device_unit_maps, seeded with the IEEE 11073-10101 codes gateways send), never literals here.
 */

/** The reading fields a device observation can fill (those of a vitals reading). */
export const DEVICE_FIELDS = ['systolic', 'diastolic', 'heartRate', 'spo2', 'respiratoryRate', 'temperatureC'] as const;
export type DeviceField = (typeof DEVICE_FIELDS)[number];

/** The UCUM unit each field is stored in (Vigil's reading columns): a device's value is converted to it. */
export const FIELD_UNITS: Readonly<Record<DeviceField, string>> = {
  systolic: 'mm[Hg]',
  diastolic: 'mm[Hg]',
  heartRate: '/min',
  spo2: '%',
  respiratoryRate: '/min',
  temperatureC: 'Cel',
};

/** One observation code a gateway sends (OBX-3 `code^refid^system`). */
export interface CodeMapping {
  code: string;
  refid: string | null;
  system: string;
  /** The reading field it fills; null: a code Vigil knows but does not chart (mean pressure, invasive pressures). */
  field: DeviceField | null;
  /** The UCUM unit the field is in (its value is converted to it). */
  unit: string | null;
  /** Two codes filling one field at one time (ECG heart rate, pulse oximeter rate): the lower priority wins. */
  priority: number;
}

/** One unit as gateways write it (MDC code, MDC REFID, UCUM or free text), and how it converts to its UCUM unit. */
export interface UnitMapping {
  unit: string;
  ucum: string;
  /** value in `ucum` = sent × scale + offset (°F → °C: × 5/9 − 160/9). */
  scale: number;
  offset: number;
}

export interface Mappings {
  /** In precedence order: a gateway's own rows before Vigil's defaults. */
  codes: CodeMapping[];
  units: UnitMapping[];
}

const sameSystem = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase();

/** The mapping of OBX-3: by code, else by REFID, within the same coding system; undefined when unknown. */
export function mapCode(maps: Mappings, code: string, refid: string, system: string): CodeMapping | undefined {
  const inSystem = maps.codes.filter((m) => sameSystem(m.system, system));
  return (code ? inSystem.find((m) => m.code === code) : undefined) ?? (refid ? inSystem.find((m) => m.refid === refid) : undefined);
}

/** The mapping of OBX-6 (its code, else its text) to `ucum`; undefined when the unit is unknown or not one of `ucum`. */
export function mapUnit(maps: Mappings, parts: string[], ucum: string): UnitMapping | undefined {
  for (const p of parts.slice(0, 2).filter(Boolean)) {
    const found = maps.units.find((u) => u.unit === p && u.ucum === ucum);
    if (found) return found;
  }
  return undefined;
}

/** A value converted and rounded as the field is stored (temperature to 0.1 °C, the others whole). */
export function convert(value: number, unit: UnitMapping, field: DeviceField): number {
  const v = value * unit.scale + unit.offset;
  return field === 'temperatureC' ? Math.round(v * 10) / 10 : Math.round(v);
}
