import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FollowUpTimings1795305559441 implements MigrationInterface {
  name = 'FollowUpTimings1795305559441';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinic_settings" ADD "check_in_call_after_hours" integer NOT NULL DEFAULT \'24\'');
    await queryRunner.query('ALTER TABLE "clinic_settings" ADD "rems_form_due_days" integer NOT NULL DEFAULT \'7\'');
    await queryRunner.query('ALTER TABLE "clinic_settings" ADD "rems_form_escalate_days" integer NOT NULL DEFAULT \'5\'');
    await queryRunner.query(
      'ALTER TABLE "clinic_settings" ADD "phq9_after_induction_hours" integer array NOT NULL DEFAULT \'{24,168,672}\'',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "phq9_after_induction_hours"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "rems_form_escalate_days"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "rems_form_due_days"');
    await queryRunner.query('ALTER TABLE "clinic_settings" DROP COLUMN "check_in_call_after_hours"');
  }
}
