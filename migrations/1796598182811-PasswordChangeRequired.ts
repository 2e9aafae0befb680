import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A password an administrator set is temporary: its user must choose their own before anything else. */
export class PasswordChangeRequired1796598182811 implements MigrationInterface {
  name = 'PasswordChangeRequired1796598182811';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" ADD "password_change_required" boolean NOT NULL DEFAULT false');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "password_change_required"');
  }
}
