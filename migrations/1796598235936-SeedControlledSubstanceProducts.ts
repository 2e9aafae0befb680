import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data migration (the schema is in ControlledSubstanceLedger): Vigil's controlled-substance products,
 * shared by every clinic, which adds its own beside them. Ketamine hydrochloride multiple-dose vials
 * as labelled (200 mg/20 mL, 500 mg/10 mL, 1,000 mg/10 mL); their NDC differs by manufacturer, so it
 * is left empty here and each receipt records the NDC on its packages. Spravato (esketamine) 28 mg
 * nasal spray devices in kits of 2 (56 mg, NDC 50458-028-02) and 3 (84 mg, NDC 50458-028-03), counted
 * in devices (Spravato label). Ketamine, its salts and isomers: DEA code 7285, Schedule III
 * non-narcotic (21 CFR 1308.13(c)(7)).
 */
const PRODUCTS = [
  { name: 'Ketamine HCl injection 10 mg/mL, 20 mL multiple-dose vial', ndc: null, strength: 10, units: 20 },
  { name: 'Ketamine HCl injection 50 mg/mL, 10 mL multiple-dose vial', ndc: null, strength: 50, units: 10 },
  { name: 'Ketamine HCl injection 100 mg/mL, 10 mL multiple-dose vial', ndc: null, strength: 100, units: 10 },
];
const KITS = [
  { name: 'Spravato (esketamine) 56 mg kit: 2 nasal spray devices of 28 mg', ndc: '50458-028-02', units: 2 },
  { name: 'Spravato (esketamine) 84 mg kit: 3 nasal spray devices of 28 mg', ndc: '50458-028-03', units: 3 },
];

export class SeedControlledSubstanceProducts1796598235936 implements MigrationInterface {
  name = 'SeedControlledSubstanceProducts1796598235936';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const p of PRODUCTS)
      await queryRunner.query(
        `INSERT INTO cs_products (clinic_id, ndc, name, substance, dea_code, schedule, form, strength_mg_per_ml, mg_per_unit, units_per_container, unit, container_kind)
         VALUES (NULL, $1, $2, 'ketamine', 7285, '3N', 'injection', $3, $3, $4, 'mL', 'vial')`,
        [p.ndc, p.name, p.strength, p.units],
      );
    for (const k of KITS)
      await queryRunner.query(
        `INSERT INTO cs_products (clinic_id, ndc, name, substance, dea_code, schedule, form, strength_mg_per_ml, mg_per_unit, units_per_container, unit, container_kind)
         VALUES (NULL, $1, $2, 'esketamine', 7285, '3N', 'nasal_spray', NULL, 28, $3, 'device', 'kit')`,
        [k.ndc, k.name, k.units],
      );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM cs_products WHERE clinic_id IS NULL');
  }
}
