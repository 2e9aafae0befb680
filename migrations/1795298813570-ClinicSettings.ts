import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ClinicSettings1795298813570 implements MigrationInterface {
  name = 'ClinicSettings1795298813570';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "clinic_settings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid, "thresholds" jsonb NOT NULL, "escalation" jsonb NOT NULL, "appointment_turnover_min" integer NOT NULL, "sources" jsonb NOT NULL, "updated_by" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "pk_clinic_settings" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_clinic_settings_clinic" ON "clinic_settings"  ("clinic_id") WHERE "clinic_id" IS NOT NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "clinic_settings" ADD CONSTRAINT "fk_clinic_settings_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "clinic_settings" ADD CONSTRAINT "fk_clinic_settings_updated_by" FOREIGN KEY ("updated_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    // Hand-written: at most one row of Vigil defaults (the one without a clinic).
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_clinic_settings_default" ON "clinic_settings" ((true)) WHERE "clinic_id" IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ux_clinic_settings_default"`);
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP CONSTRAINT "fk_clinic_settings_updated_by"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP CONSTRAINT "fk_clinic_settings_clinic"');
    await queryRunner.query('DROP INDEX "public"."ux_clinic_settings_clinic"');
    await queryRunner.query('DROP TABLE "clinic_settings"');
  }
}
