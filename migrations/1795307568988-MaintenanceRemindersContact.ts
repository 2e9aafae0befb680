import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Patients' contact preference and consent to be contacted (appointment reminders), discharge from
 * care, why a series' maintenance stopped, and the reminder timings of the clinic settings.
 */
export class MaintenanceRemindersContact1795307568988 implements MigrationInterface {
  name = 'MaintenanceRemindersContact1795307568988';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "patients" ADD "contact_preference" text NOT NULL DEFAULT \'none\'');
    await queryRunner.query('ALTER TABLE "patients" ADD "contact_consent" boolean NOT NULL DEFAULT false');
    await queryRunner.query('ALTER TABLE "patients" ADD "care_status" text NOT NULL DEFAULT \'active\'');
    await queryRunner.query('ALTER TABLE "patients" ADD "discharged_from_care_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "patients" ADD "discharged_from_care_reason" text');
    await queryRunner.query('ALTER TABLE "treatment_series" ADD "stopped_reason" text');
    await queryRunner.query('ALTER TABLE "clinic_settings" ADD "consent_expiry_reminder_days" integer NOT NULL DEFAULT \'30\'');
    await queryRunner.query('ALTER TABLE "clinic_settings" ADD "appointment_reminder_hours" integer NOT NULL DEFAULT \'24\'');
    await queryRunner.query(
      'ALTER TABLE "patients" ADD CONSTRAINT "ck_patients_care_status" CHECK ("care_status" IN (\'active\', \'discharged\'))',
    );
    await queryRunner.query(
      'ALTER TABLE "patients" ADD CONSTRAINT "ck_patients_contact_preference" CHECK ("contact_preference" IN (\'email\', \'phone\', \'none\'))',
    );
    // By hand: TypeORM does not compare CHECK expressions.
    await queryRunner.query('ALTER TABLE "treatment_series" DROP CONSTRAINT "ck_treatment_series_status"');
    await queryRunner.query(
      `ALTER TABLE "treatment_series" ADD CONSTRAINT "ck_treatment_series_status" CHECK ("status" IN ('active', 'completed', 'cancelled', 'stopped'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "treatment_series" SET "status" = 'completed' WHERE "status" = 'stopped'`);
    await queryRunner.query('ALTER TABLE "treatment_series" DROP CONSTRAINT "ck_treatment_series_status"');
    await queryRunner.query(
      `ALTER TABLE "treatment_series" ADD CONSTRAINT "ck_treatment_series_status" CHECK ("status" IN ('active', 'completed', 'cancelled'))`,
    );
    await queryRunner.query('ALTER TABLE "patients" DROP CONSTRAINT "ck_patients_contact_preference"');
    await queryRunner.query('ALTER TABLE "patients" DROP CONSTRAINT "ck_patients_care_status"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "appointment_reminder_hours"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "consent_expiry_reminder_days"');
    await queryRunner.query('ALTER TABLE "treatment_series" DROP COLUMN "stopped_reason"');
    await queryRunner.query('ALTER TABLE "patients" DROP COLUMN "discharged_from_care_reason"');
    await queryRunner.query('ALTER TABLE "patients" DROP COLUMN "discharged_from_care_at"');
    await queryRunner.query('ALTER TABLE "patients" DROP COLUMN "care_status"');
    await queryRunner.query('ALTER TABLE "patients" DROP COLUMN "contact_consent"');
    await queryRunner.query('ALTER TABLE "patients" DROP COLUMN "contact_preference"');
  }
}
