/** How a record states a product (21 CFR 1304.22(c), 1304.11(e): the finished form and the units per commercial container). */
export interface Presented {
  substance: string;
  unit: string;
  mgPerUnit: number;
  strengthMgPerMl: number | null;
  unitsPerContainer: number;
  containerKind: string;
}

/**
 * A product's columns as a query selects them from `p` (cs_products), under the aliases `presented`
 * reads them by: `product_name`, `substance`, `unit`, `mg_per_unit`, `strength`, `units`, `container_kind`.
 */
export const PRODUCT_SQL = `p.name AS product_name, p.substance, p.unit, p.mg_per_unit::text AS mg_per_unit,
  p.strength_mg_per_ml::text AS strength, p.units_per_container::text AS units, p.container_kind`;

/** The product of a row selected with PRODUCT_SQL, as a record states it, with its name. */
export function presented(r: Record<string, unknown>): Presented & { productName: string } {
  const strength = r['strength'];
  return {
    productName: String(r['product_name']),
    substance: String(r['substance']),
    unit: String(r['unit']),
    mgPerUnit: Number(r['mg_per_unit']),
    strengthMgPerMl: strength === null || strength === undefined ? null : Number(strength),
    unitsPerContainer: Number(r['units']),
    containerKind: String(r['container_kind']),
  };
}

export const SUBSTANCE_NAMES: Record<string, string> = {
  ketamine: 'Ketamine hydrochloride (DEA 7285, CIII)',
  esketamine: 'Esketamine (Spravato; DEA 7285, CIII)',
};

/** "injection, 50 mg/mL" or "nasal spray, 28 mg per device". */
export const finishedForm = (p: Presented): string =>
  p.unit === 'device' ? `nasal spray, ${Number(p.mgPerUnit)} mg per device` : `injection, ${Number(p.strengthMgPerMl)} mg/mL`;

/** "10 mL per vial" or "3 devices per kit". */
export const unitsPerContainer = (p: Presented): string =>
  p.unit === 'device' ? `${Number(p.unitsPerContainer)} devices per kit` : `${Number(p.unitsPerContainer)} mL per ${p.containerKind}`;
