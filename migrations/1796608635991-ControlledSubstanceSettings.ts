import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The controlled-substance ledger's clinic settings: the discrepancy resolution window (24 h, at most
 * 24), the tolerance of an estimated measure of an opened vial (0 mL, at most 0.5) and how many years
 * its records are kept (2, 21 CFR 1304.04(a); at most 10).
 */
export class ControlledSubstanceSettings1796608635991 implements MigrationInterface {
  name = 'ControlledSubstanceSettings1796608635991';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinic_settings" ADD "cs_discrepancy_resolve_hours" integer NOT NULL DEFAULT \'24\'');
    await queryRunner.query('ALTER TABLE "clinic_settings" ADD "cs_estimate_tolerance_ml" numeric(4,2) NOT NULL DEFAULT \'0\'');
    await queryRunner.query('ALTER TABLE "clinic_settings" ADD "cs_record_retention_years" integer NOT NULL DEFAULT \'2\'');
    await queryRunner.query(
      'ALTER TABLE "clinic_settings" ADD CONSTRAINT "ck_clinic_settings_cs_retention" CHECK ("cs_record_retention_years" BETWEEN 2 AND 10)',
    );
    await queryRunner.query(
      'ALTER TABLE "clinic_settings" ADD CONSTRAINT "ck_clinic_settings_cs_estimate_tolerance" CHECK ("cs_estimate_tolerance_ml" BETWEEN 0 AND 0.5)',
    );
    await queryRunner.query(
      'ALTER TABLE "clinic_settings" ADD CONSTRAINT "ck_clinic_settings_cs_discrepancy_hours" CHECK ("cs_discrepancy_resolve_hours" BETWEEN 1 AND 24)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP CONSTRAINT "ck_clinic_settings_cs_discrepancy_hours"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP CONSTRAINT "ck_clinic_settings_cs_estimate_tolerance"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP CONSTRAINT "ck_clinic_settings_cs_retention"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "cs_record_retention_years"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "cs_estimate_tolerance_ml"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "cs_discrepancy_resolve_hours"');
  }
}
