/**
 * The code and unit mappings a gateway's messages are read with, as two columns (`codes`, `units`)
 * of a select list: its own rows first, then Vigil's defaults. `gatewayId` is the SQL expression
 * naming the gateway (a parameter, or a column of the statement they are read in).
 */
export function mappingColumns(gatewayId: string): string {
  return `(SELECT COALESCE(json_agg(json_build_object('code', code, 'refid', refid, 'system', system, 'field', field, 'unit', unit, 'priority', priority)
                               ORDER BY gateway_id IS NULL, priority, code), '[]')
        FROM device_code_maps WHERE gateway_id IS NULL OR gateway_id = ${gatewayId}) AS codes,
     (SELECT COALESCE(json_agg(json_build_object('unit', unit, 'ucum', to_unit, 'scale', factor, 'offset', addend)
                               ORDER BY gateway_id IS NULL, unit), '[]')
        FROM device_unit_maps WHERE gateway_id IS NULL OR gateway_id = ${gatewayId}) AS units`;
}
