import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How long an open follow-up may stay past due before the administrators are told: a clinic setting (default 24 h). */
export class FollowUpOverdueEscalation1795309532239 implements MigrationInterface {
  name = 'FollowUpOverdueEscalation1795309532239';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinic_settings" ADD "follow_up_overdue_escalation_hours" integer NOT NULL DEFAULT \'24\'');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "follow_up_overdue_escalation_hours"');
  }
}
