import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FollowUpEscalation1795303252082 implements MigrationInterface {
  name = 'FollowUpEscalation1795303252082';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "follow_ups" ADD "escalate_at" TIMESTAMP(3) WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "follow_ups" ADD "escalated_at" TIMESTAMP(3) WITH TIME ZONE');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "follow_ups" DROP COLUMN "escalated_at"');
    await queryRunner.query('ALTER TABLE "follow_ups" DROP COLUMN "escalate_at"');
  }
}
