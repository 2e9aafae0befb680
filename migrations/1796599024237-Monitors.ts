import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Bedside monitors registered to chairs, recognised by their EUI-64 and/or their gateway's bed location. */
export class Monitors1796599024237 implements MigrationInterface {
  name = 'Monitors1796599024237';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "monitors" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "name" text NOT NULL, "chair_id" uuid NOT NULL, "eui64" text, "location" text, "retired_at" TIMESTAMP(3) WITH TIME ZONE, "retired_by" uuid, "retire_reason" text, "created_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "ck_monitors_eui64" CHECK ("eui64" ~ \'^[0-9A-F]{16}$\'), CONSTRAINT "ck_monitors_retired" CHECK (("retired_at" IS NULL) = ("retired_by" IS NULL)), CONSTRAINT "ck_monitors_identity" CHECK ("eui64" IS NOT NULL OR "location" IS NOT NULL), CONSTRAINT "pk_monitors" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_monitors_chair" ON "monitors"  ("chair_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "ux_monitors_name" ON "monitors"  ("clinic_id", "name") WHERE "retired_at" IS NULL');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_monitors_location" ON "monitors"  ("clinic_id", "location") WHERE "location" IS NOT NULL AND "retired_at" IS NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_monitors_eui64" ON "monitors"  ("eui64") WHERE "eui64" IS NOT NULL AND "retired_at" IS NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "monitors" ADD CONSTRAINT "fk_monitors_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "monitors" ADD CONSTRAINT "fk_monitors_chair" FOREIGN KEY ("chair_id") REFERENCES "chairs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "monitors" ADD CONSTRAINT "fk_monitors_retired_by" FOREIGN KEY ("retired_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "monitors" ADD CONSTRAINT "fk_monitors_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "monitors" DROP CONSTRAINT "fk_monitors_created_by"');
    await queryRunner.query('ALTER TABLE "monitors" DROP CONSTRAINT "fk_monitors_retired_by"');
    await queryRunner.query('ALTER TABLE "monitors" DROP CONSTRAINT "fk_monitors_chair"');
    await queryRunner.query('ALTER TABLE "monitors" DROP CONSTRAINT "fk_monitors_clinic"');
    await queryRunner.query('DROP INDEX "public"."ux_monitors_eui64"');
    await queryRunner.query('DROP INDEX "public"."ux_monitors_location"');
    await queryRunner.query('DROP INDEX "public"."ux_monitors_name"');
    await queryRunner.query('DROP INDEX "public"."ix_monitors_chair"');
    await queryRunner.query('DROP TABLE "monitors"');
  }
}
