import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Scheduling1795302529310 implements MigrationInterface {
  name = 'Scheduling1795302529310';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Hand-written: the exclusion constraints compare uuids with = inside a GiST index.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(
      'CREATE TABLE "chairs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "name" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_chairs" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ux_chairs_name" ON "chairs"  ("clinic_id", "name") ');
    await queryRunner.query(
      'CREATE TABLE "appointments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "chair_id" uuid NOT NULL, "protocol_key" text NOT NULL, "starts_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "status" text NOT NULL, "session_id" uuid, "flags" text array NOT NULL DEFAULT \'{}\', "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancelled_by" uuid, "cancel_reason" text, "created_by" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_appointments_range" CHECK ("ends_at" > "starts_at"), CONSTRAINT "ck_appointments_status" CHECK ("status" IN (\'booked\', \'tentative\', \'checked-in\', \'completed\', \'cancelled\', \'no-show\')), CONSTRAINT "ex_appointments_patient" EXCLUDE USING gist ("patient_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("status" NOT IN (\'cancelled\', \'no-show\')), CONSTRAINT "ex_appointments_chair" EXCLUDE USING gist ("chair_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("status" NOT IN (\'cancelled\', \'no-show\')), CONSTRAINT "pk_appointments" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_appointments_patient" ON "appointments"  ("patient_id", "starts_at") ');
    await queryRunner.query('CREATE INDEX "ix_appointments_clinic_time" ON "appointments"  ("clinic_id", "starts_at") ');
    await queryRunner.query(
      'ALTER TABLE "clinic_settings" ADD "opening_hours" jsonb NOT NULL DEFAULT \'{"fri": [["08:00", "18:00"]], "mon": [["08:00", "18:00"]], "sat": [], "sun": [], "thu": [["08:00", "18:00"]], "tue": [["08:00", "18:00"]], "wed": [["08:00", "18:00"]]}\'',
    );
    await queryRunner.query(
      "CREATE UNIQUE INDEX \"ux_sessions_patient_active\" ON \"sessions\"  (\"patient_id\") WHERE \"status\" IN ('checked_in', 'ready', 'dosing', 'paused', 'observation', 'aborted')",
    );
    await queryRunner.query(
      'ALTER TABLE "chairs" ADD CONSTRAINT "fk_chairs_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "appointments" ADD CONSTRAINT "fk_appointments_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "appointments" ADD CONSTRAINT "fk_appointments_chair" FOREIGN KEY ("chair_id") REFERENCES "chairs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "appointments" ADD CONSTRAINT "fk_appointments_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "appointments" DROP CONSTRAINT "fk_appointments_created_by"');
    await queryRunner.query('ALTER TABLE "appointments" DROP CONSTRAINT "fk_appointments_chair"');
    await queryRunner.query('ALTER TABLE "appointments" DROP CONSTRAINT "fk_appointments_patient"');
    await queryRunner.query('ALTER TABLE "chairs" DROP CONSTRAINT "fk_chairs_clinic"');
    await queryRunner.query('DROP INDEX "public"."ux_sessions_patient_active"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "opening_hours"');
    await queryRunner.query('DROP INDEX "public"."ix_appointments_clinic_time"');
    await queryRunner.query('DROP INDEX "public"."ix_appointments_patient"');
    await queryRunner.query('DROP TABLE "appointments"');
    await queryRunner.query('DROP INDEX "public"."ux_chairs_name"');
    await queryRunner.query('DROP TABLE "chairs"');
  }
}
