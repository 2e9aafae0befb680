import type { MigrationInterface, QueryRunner } from 'typeorm';

/** FHIR Bulk Data exports: the request, its progress page by page, its files and expiry (run from pending work). */
export class FhirExports1796609468589 implements MigrationInterface {
  name = 'FhirExports1796609468589';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "fhir_exports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "requested_by" uuid NOT NULL, "level" text NOT NULL, "types" text array NOT NULL, "since" TIMESTAMP(3) WITH TIME ZONE, "request_url" text NOT NULL, "status" text NOT NULL DEFAULT \'accepted\', "progress" jsonb NOT NULL DEFAULT \'{}\', "error" text, "requested_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP(3) WITH TIME ZONE, "finished_at" TIMESTAMP(3) WITH TIME ZONE, "expires_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "ck_fhir_exports_level" CHECK ("level" IN (\'system\', \'patient\')), CONSTRAINT "ck_fhir_exports_status" CHECK ("status" IN (\'accepted\', \'running\', \'completed\', \'failed\', \'cancelled\')), CONSTRAINT "pk_fhir_exports" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_fhir_exports_clinic" ON "fhir_exports"  ("clinic_id", "requested_at") ');
    await queryRunner.query(
      'ALTER TABLE "fhir_exports" ADD CONSTRAINT "fk_fhir_exports_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "fhir_exports" ADD CONSTRAINT "fk_fhir_exports_requested_by" FOREIGN KEY ("requested_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "fhir_exports" DROP CONSTRAINT "fk_fhir_exports_requested_by"');
    await queryRunner.query('ALTER TABLE "fhir_exports" DROP CONSTRAINT "fk_fhir_exports_clinic"');
    await queryRunner.query('DROP INDEX "public"."ix_fhir_exports_clinic"');
    await queryRunner.query('DROP TABLE "fhir_exports"');
  }
}
