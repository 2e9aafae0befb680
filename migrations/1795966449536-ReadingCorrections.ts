import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A device reading corrected (same device and measured time, other values) is a new reading; the old
 * one is kept, marked superseded (when, by whom, by which reading). The device's unique key holds for
 * current readings only.
 */
export class ReadingCorrections1795966449536 implements MigrationInterface {
  name = 'ReadingCorrections1795966449536';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "vital_readings" ADD "superseded_at" TIMESTAMP(3) WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "vital_readings" ADD "superseded_by" uuid');
    await queryRunner.query('ALTER TABLE "vital_readings" ADD "superseded_by_reading_id" uuid');
    await queryRunner.query(
      'ALTER TABLE "vital_readings" ADD CONSTRAINT "fk_vital_readings_superseded_by" FOREIGN KEY ("superseded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "vital_readings" ADD CONSTRAINT "fk_vital_readings_superseded_by_reading" FOREIGN KEY ("superseded_by_reading_id") REFERENCES "vital_readings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED',
    );
    await queryRunner.query('DROP INDEX "public"."ux_vital_readings_device"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_vital_readings_device" ON "vital_readings" ("session_id", "device_id", "measured_at") WHERE "device_id" IS NOT NULL AND "superseded_at" IS NULL',
    );
    // Hand-written: readings stay append-only, except that a current reading may be marked superseded, once.
    await queryRunner.query(`
      CREATE FUNCTION vital_readings_supersede_only() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE marks text[] := ARRAY['superseded_at', 'superseded_by', 'superseded_by_reading_id'];
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.superseded_at IS NULL AND NEW.superseded_at IS NOT NULL
           AND (to_jsonb(NEW) - marks) = (to_jsonb(OLD) - marks) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION '%: rows are append-only (a reading may only be marked superseded, once)', TG_TABLE_NAME
          USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await queryRunner.query('DROP TRIGGER tr_vital_readings_append_only ON "vital_readings"');
    await queryRunner.query(
      'CREATE TRIGGER tr_vital_readings_append_only BEFORE UPDATE OR DELETE ON "vital_readings" FOR EACH ROW EXECUTE FUNCTION vital_readings_supersede_only()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER tr_vital_readings_append_only ON "vital_readings"');
    await queryRunner.query('DROP FUNCTION vital_readings_supersede_only()');
    // Only the current reading of each (device, time) can keep the old key: superseded ones go first.
    await queryRunner.query(
      'DELETE FROM "alert_readings" WHERE "reading_id" IN (SELECT "id" FROM "vital_readings" WHERE "superseded_at" IS NOT NULL)',
    );
    await queryRunner.query('DELETE FROM "vital_readings" WHERE "superseded_at" IS NOT NULL');
    await queryRunner.query('DROP INDEX "public"."ux_vital_readings_device"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_vital_readings_device" ON "vital_readings" ("session_id", "device_id", "measured_at") WHERE "device_id" IS NOT NULL',
    );
    await queryRunner.query('ALTER TABLE "vital_readings" DROP CONSTRAINT "fk_vital_readings_superseded_by_reading"');
    await queryRunner.query('ALTER TABLE "vital_readings" DROP CONSTRAINT "fk_vital_readings_superseded_by"');
    await queryRunner.query('ALTER TABLE "vital_readings" DROP COLUMN "superseded_by_reading_id"');
    await queryRunner.query('ALTER TABLE "vital_readings" DROP COLUMN "superseded_by"');
    await queryRunner.query('ALTER TABLE "vital_readings" DROP COLUMN "superseded_at"');
    await queryRunner.query(
      'CREATE TRIGGER tr_vital_readings_append_only BEFORE UPDATE OR DELETE ON "vital_readings" FOR EACH ROW EXECUTE FUNCTION refuse_change()',
    );
  }
}
