import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A nurse attaches an unbound monitor reading to a session, or discards it with a reason: who, when, where it went. */
export class UnboundReadingResolution1796601866140 implements MigrationInterface {
  name = 'UnboundReadingResolution1796601866140';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "unbound_readings" ADD "session_id" uuid');
    await queryRunner.query('ALTER TABLE "unbound_readings" ADD "reading_id" uuid');
    await queryRunner.query('ALTER TABLE "unbound_readings" ADD "resolved_by" uuid');
    await queryRunner.query('ALTER TABLE "unbound_readings" ADD "resolved_at" TIMESTAMP(3) WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "unbound_readings" ADD "resolve_reason" text');
    await queryRunner.query(
      'ALTER TABLE "unbound_readings" ADD CONSTRAINT "ck_unbound_readings_discarded" CHECK ("status" <> \'discarded\' OR "resolve_reason" IS NOT NULL)',
    );
    await queryRunner.query(
      'ALTER TABLE "unbound_readings" ADD CONSTRAINT "ck_unbound_readings_attached" CHECK ("status" <> \'attached\' OR ("session_id" IS NOT NULL AND "reading_id" IS NOT NULL))',
    );
    await queryRunner.query(
      'ALTER TABLE "unbound_readings" ADD CONSTRAINT "ck_unbound_readings_resolved" CHECK (("status" = \'open\') = ("resolved_at" IS NULL) AND ("resolved_at" IS NULL) = ("resolved_by" IS NULL))',
    );
    await queryRunner.query(
      'ALTER TABLE "unbound_readings" ADD CONSTRAINT "fk_unbound_readings_session" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "unbound_readings" ADD CONSTRAINT "fk_unbound_readings_reading" FOREIGN KEY ("reading_id") REFERENCES "vital_readings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "unbound_readings" ADD CONSTRAINT "fk_unbound_readings_resolved_by" FOREIGN KEY ("resolved_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP CONSTRAINT "fk_unbound_readings_resolved_by"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP CONSTRAINT "fk_unbound_readings_reading"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP CONSTRAINT "fk_unbound_readings_session"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP CONSTRAINT "ck_unbound_readings_resolved"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP CONSTRAINT "ck_unbound_readings_attached"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP CONSTRAINT "ck_unbound_readings_discarded"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP COLUMN "resolve_reason"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP COLUMN "resolved_at"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP COLUMN "resolved_by"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP COLUMN "reading_id"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP COLUMN "session_id"');
  }
}
