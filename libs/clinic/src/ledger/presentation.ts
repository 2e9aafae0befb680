/** How a record states a product (21 CFR 1304.22(c), 1304.11(e): the finished form and the units per commercial container). */
export interface Presented {
  substance: string;
  unit: string;
  mgPerUnit: number;
  strengthMgPerMl: number | null;
  unitsPerContainer: number;
  containerKind: string;
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
