import type { EntityManager } from 'typeorm';
import type { Mappings } from '../hl7/index.js';

/**
 * The code and unit mappings a gateway's messages are read with: its own rows first, then Vigil's
 * defaults. One statement for both tables (each message reads them: one round trip, not two).
 */
export async function mappingsFor(m: EntityManager, gatewayId: string | null): Promise<Mappings> {
  const [row] = await m.query<Array<Mappings>>(
    `SELECT
       (SELECT COALESCE(json_agg(json_build_object('code', code, 'refid', refid, 'system', system, 'field', field, 'unit', unit, 'priority', priority)
                                 ORDER BY gateway_id IS NULL, priority, code), '[]')
          FROM device_code_maps WHERE gateway_id IS NULL OR gateway_id = $1) AS codes,
       (SELECT COALESCE(json_agg(json_build_object('unit', unit, 'ucum', to_unit, 'scale', factor, 'offset', addend)
                                 ORDER BY gateway_id IS NULL, unit), '[]')
          FROM device_unit_maps WHERE gateway_id IS NULL OR gateway_id = $1) AS units`,
    [gatewayId],
  );
  return row;
}
