import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The pending-work row of the monitor feed log's retention sweep (one for all clinics; see monitors/feed-log-retention.ts). */
const SWEEP_KIND = 'sweep-hl7-log';
const SWEEP_SUBJECT = '00000000-0000-4000-8000-0000000000a7';

/**
 * The monitor feed's time rules and log retention: two clinic settings (a reading arriving more
 * than lateReadingPageAfterMin after it was measured pages nobody, default 10; the raw message log
 * is kept hl7_log_retention_days, default 30), a reading's `late` and `time_offset_assumed` flags, a
 * gateway's clock-drift episode, and the first run of the log's retention sweep.
 */
export class Hl7FeedTimeAndRetention1796607444190 implements MigrationInterface {
  name = 'Hl7FeedTimeAndRetention1796607444190';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clinic_settings" ADD "late_reading_page_after_min" integer NOT NULL DEFAULT '10'`);
    await queryRunner.query(`ALTER TABLE "clinic_settings" ADD "hl7_log_retention_days" integer NOT NULL DEFAULT '30'`);
    await queryRunner.query(`ALTER TABLE "vital_readings" ADD "late" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "vital_readings" ADD "time_offset_assumed" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "hl7_gateways" ADD "clock_drift_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "hl7_gateways" ADD "clock_drift_since" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "hl7_gateways" ADD "clock_drift_sec" integer`);
    await queryRunner.query(`ALTER TABLE "hl7_gateways" ADD "clock_drift_warned_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "clinic_settings" ADD CONSTRAINT "ck_clinic_settings_hl7_log_retention" CHECK ("hl7_log_retention_days" BETWEEN 1 AND 3650)`,
    );
    await queryRunner.query(
      `ALTER TABLE "clinic_settings" ADD CONSTRAINT "ck_clinic_settings_late_reading" CHECK ("late_reading_page_after_min" BETWEEN 1 AND 120)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_hl7_messages_duplicate_of" ON "hl7_messages"  ("duplicate_of") WHERE "duplicate_of" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "ix_unbound_readings_message" ON "unbound_readings"  ("message_id") `);
    // An unbound reading whose every value its device withdrew is discarded by nobody.
    await queryRunner.query(`ALTER TABLE "unbound_readings" DROP CONSTRAINT "ck_unbound_readings_resolved"`);
    await queryRunner.query(
      `ALTER TABLE "unbound_readings" ADD CONSTRAINT "ck_unbound_readings_resolved" CHECK (("status" = 'open') = ("resolved_at" IS NULL) AND ("status" = 'discarded' OR ("resolved_at" IS NULL) = ("resolved_by" IS NULL)))`,
    );
    // Data: the sweep's first run, due now; each run schedules the next.
    await queryRunner.query(
      `INSERT INTO pending_work (kind, subject_id, due_at) VALUES ($1, $2, now()) ON CONFLICT (kind, subject_id) WHERE status = 'pending' DO NOTHING`,
      [SWEEP_KIND, SWEEP_SUBJECT],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM pending_work WHERE kind = $1`, [SWEEP_KIND]);
    await queryRunner.query(`ALTER TABLE "unbound_readings" DROP CONSTRAINT "ck_unbound_readings_resolved"`);
    await queryRunner.query(
      `ALTER TABLE "unbound_readings" ADD CONSTRAINT "ck_unbound_readings_resolved" CHECK (("status" = 'open') = ("resolved_at" IS NULL) AND ("resolved_at" IS NULL) = ("resolved_by" IS NULL))`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_unbound_readings_message"`);
    await queryRunner.query(`DROP INDEX "public"."ix_hl7_messages_duplicate_of"`);
    await queryRunner.query(`ALTER TABLE "clinic_settings" DROP CONSTRAINT "ck_clinic_settings_late_reading"`);
    await queryRunner.query(`ALTER TABLE "clinic_settings" DROP CONSTRAINT "ck_clinic_settings_hl7_log_retention"`);
    await queryRunner.query(`ALTER TABLE "hl7_gateways" DROP COLUMN "clock_drift_warned_at"`);
    await queryRunner.query(`ALTER TABLE "hl7_gateways" DROP COLUMN "clock_drift_sec"`);
    await queryRunner.query(`ALTER TABLE "hl7_gateways" DROP COLUMN "clock_drift_since"`);
    await queryRunner.query(`ALTER TABLE "hl7_gateways" DROP COLUMN "clock_drift_count"`);
    await queryRunner.query(`ALTER TABLE "vital_readings" DROP COLUMN "time_offset_assumed"`);
    await queryRunner.query(`ALTER TABLE "vital_readings" DROP COLUMN "late"`);
    await queryRunner.query(`ALTER TABLE "clinic_settings" DROP COLUMN "hl7_log_retention_days"`);
    await queryRunner.query(`ALTER TABLE "clinic_settings" DROP COLUMN "late_reading_page_after_min"`);
  }
}
