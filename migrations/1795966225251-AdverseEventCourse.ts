import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adverse events are updated as they evolve: when one resolved, and when it was last changed.
 * Events recorded before keep no resolution time (it was never charted); their last change is their recording.
 */
export class AdverseEventCourse1795966225251 implements MigrationInterface {
  name = 'AdverseEventCourse1795966225251';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "adverse_events" ADD "resolved_at" TIMESTAMP(3) WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "adverse_events" ADD "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now()');
    // Hand-written: an event recorded before has not changed since.
    await queryRunner.query('UPDATE "adverse_events" SET "updated_at" = "recorded_at"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "adverse_events" DROP COLUMN "updated_at"');
    await queryRunner.query('ALTER TABLE "adverse_events" DROP COLUMN "resolved_at"');
  }
}
