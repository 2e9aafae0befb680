import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TreatmentSeries1795302922229 implements MigrationInterface {
  name = 'TreatmentSeries1795302922229';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "treatment_series" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "protocol_key" text NOT NULL, "start_date" date NOT NULL, "preferred_time" text NOT NULL, "sessions_planned" integer NOT NULL, "status" text NOT NULL DEFAULT \'active\', "created_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_treatment_series_status" CHECK ("status" IN (\'active\', \'completed\', \'cancelled\')), CONSTRAINT "pk_treatment_series" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_treatment_series_patient" ON "treatment_series"  ("patient_id", "created_at") ');
    await queryRunner.query('ALTER TABLE "appointments" ADD "series_id" uuid');
    await queryRunner.query(
      'ALTER TABLE "treatment_series" ADD CONSTRAINT "fk_treatment_series_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "appointments" ADD CONSTRAINT "fk_appointments_series" FOREIGN KEY ("series_id") REFERENCES "treatment_series"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "appointments" DROP CONSTRAINT "fk_appointments_series"');
    await queryRunner.query('ALTER TABLE "treatment_series" DROP CONSTRAINT "fk_treatment_series_patient"');
    await queryRunner.query('ALTER TABLE "appointments" DROP COLUMN "series_id"');
    await queryRunner.query('DROP INDEX "public"."ix_treatment_series_patient"');
    await queryRunner.query('DROP TABLE "treatment_series"');
  }
}
