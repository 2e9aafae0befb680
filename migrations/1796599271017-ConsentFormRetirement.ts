import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A published consent form version can be retired, once (no new signature on it): who, when and why.
 * Drafts carry a revision for concurrent edits. The immutability trigger lets a published row change
 * only to be retired.
 */
export class ConsentFormRetirement1796599271017 implements MigrationInterface {
  name = 'ConsentFormRetirement1796599271017';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "consent_forms" ADD "retired_at" TIMESTAMP(3) WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "consent_forms" ADD "retired_by" uuid');
    await queryRunner.query('ALTER TABLE "consent_forms" ADD "retirement_reason" text');
    await queryRunner.query('ALTER TABLE "consent_forms" ADD "revision" integer NOT NULL DEFAULT \'1\'');
    await queryRunner.query(
      'ALTER TABLE "consent_forms" ADD CONSTRAINT "fk_consent_forms_retired_by" FOREIGN KEY ("retired_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    // Hand-written: only a published version is retired, always with who and why.
    await queryRunner.query(
      `ALTER TABLE "consent_forms" ADD CONSTRAINT "ck_consent_forms_retired" CHECK ("retired_at" IS NULL OR ("published_at" IS NOT NULL AND "retired_by" IS NOT NULL AND "retirement_reason" IS NOT NULL))`,
    );
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION consent_forms_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.published_at IS NOT NULL AND NOT (
             TG_OP = 'UPDATE' AND OLD.retired_at IS NULL AND NEW.retired_at IS NOT NULL
             AND (to_jsonb(NEW) - 'retired_at' - 'retired_by' - 'retirement_reason' - 'revision')
                 IS NOT DISTINCT FROM (to_jsonb(OLD) - 'retired_at' - 'retired_by' - 'retirement_reason' - 'revision')) THEN
          RAISE EXCEPTION 'consent_forms: a published form version is immutable (it may only be retired, once)' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION consent_forms_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.published_at IS NOT NULL THEN
          RAISE EXCEPTION 'consent_forms: a published form version is immutable' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await queryRunner.query('ALTER TABLE "consent_forms" DROP CONSTRAINT "ck_consent_forms_retired"');
    await queryRunner.query('ALTER TABLE "consent_forms" DROP CONSTRAINT "fk_consent_forms_retired_by"');
    await queryRunner.query('ALTER TABLE "consent_forms" DROP COLUMN "revision"');
    await queryRunner.query('ALTER TABLE "consent_forms" DROP COLUMN "retirement_reason"');
    await queryRunner.query('ALTER TABLE "consent_forms" DROP COLUMN "retired_by"');
    await queryRunner.query('ALTER TABLE "consent_forms" DROP COLUMN "retired_at"');
  }
}
