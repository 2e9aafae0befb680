import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The delivered-dose tolerance (% of the dose drawn up beyond which ending dosing needs a reason) becomes a clinic setting, default 5. */
export class DeliveredDoseTolerance1796599714328 implements MigrationInterface {
  name = 'DeliveredDoseTolerance1796599714328';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinic_settings" ADD "delivered_dose_tolerance_pct" integer NOT NULL DEFAULT \'5\'');
    // Hand-written: at most the ±10 % accepted for a compounded preparation (USP <797>).
    await queryRunner.query(
      'ALTER TABLE "clinic_settings" ADD CONSTRAINT "ck_clinic_settings_delivered_dose_tolerance" CHECK ("delivered_dose_tolerance_pct" BETWEEN 1 AND 10)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP CONSTRAINT "ck_clinic_settings_delivered_dose_tolerance"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "delivered_dose_tolerance_pct"');
  }
}
