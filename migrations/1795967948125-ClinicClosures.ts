import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The clinic's closed days (holidays, closures): one row per clinic and local date. */
export class ClinicClosures1795967948125 implements MigrationInterface {
  name = 'ClinicClosures1795967948125';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "clinic_closures" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "date" date NOT NULL, "reason" text NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_clinic_closures" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ux_clinic_closures_day" ON "clinic_closures"  ("clinic_id", "date") ');
    await queryRunner.query(
      'ALTER TABLE "clinic_closures" ADD CONSTRAINT "fk_clinic_closures_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "clinic_closures" ADD CONSTRAINT "fk_clinic_closures_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinic_closures" DROP CONSTRAINT "fk_clinic_closures_created_by"');
    await queryRunner.query('ALTER TABLE "clinic_closures" DROP CONSTRAINT "fk_clinic_closures_clinic"');
    await queryRunner.query('DROP INDEX "public"."ux_clinic_closures_day"');
    await queryRunner.query('DROP TABLE "clinic_closures"');
  }
}
