import type { EntityManager } from 'typeorm';
import type { Mappings } from '../hl7/index.js';
import type { DeviceCodeMap, DeviceUnitMap } from './device-maps.entity.js';

/** The code and unit mappings a gateway's messages are read with: its own rows first, then Vigil's defaults. */
export async function mappingsFor(m: EntityManager, gatewayId: string | null): Promise<Mappings> {
  // One after the other: inside a transaction both run on its one connection.
  const codes = await m.query<Array<Pick<DeviceCodeMap, 'code' | 'refid' | 'system' | 'field' | 'unit' | 'priority'>>>(
    `SELECT code, refid, system, field, unit, priority FROM device_code_maps
        WHERE gateway_id IS NULL OR gateway_id = $1 ORDER BY gateway_id IS NULL, priority, code`,
    [gatewayId],
  );
  const units = await m.query<Array<Pick<DeviceUnitMap, 'unit' | 'factor' | 'addend'> & { to_unit: string }>>(
    `SELECT unit, to_unit, factor, addend FROM device_unit_maps WHERE gateway_id IS NULL OR gateway_id = $1 ORDER BY gateway_id IS NULL, unit`,
    [gatewayId],
  );
  return {
    codes,
    units: units.map((u) => ({ unit: u.unit, ucum: u.to_unit, scale: Number(u.factor), offset: Number(u.addend) })),
  };
}
