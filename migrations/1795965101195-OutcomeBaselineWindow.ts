import type { MigrationInterface, QueryRunner } from 'typeorm';

/** With no score before the first dose, a score this many minutes after it is the outcome baseline: a clinic setting (default 60). */
export class OutcomeBaselineWindow1795965101195 implements MigrationInterface {
  name = 'OutcomeBaselineWindow1795965101195';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinic_settings" ADD "outcome_baseline_window_min" integer NOT NULL DEFAULT \'60\'');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "outcome_baseline_window_min"');
  }
}
