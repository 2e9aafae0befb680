import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A session knows its chair (bedside monitors bind to chairs); a chair holds one session in progress at a time. */
export class SessionChairs1796598029799 implements MigrationInterface {
  name = 'SessionChairs1796598029799';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sessions" ADD "chair_id" uuid');
    await queryRunner.query(
      "CREATE UNIQUE INDEX \"ux_sessions_chair_active\" ON \"sessions\"  (\"chair_id\") WHERE \"chair_id\" IS NOT NULL AND \"status\" IN ('checked_in', 'ready', 'dosing', 'paused', 'observation', 'aborted')",
    );
    await queryRunner.query(
      'ALTER TABLE "sessions" ADD CONSTRAINT "fk_sessions_chair" FOREIGN KEY ("chair_id") REFERENCES "chairs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sessions" DROP CONSTRAINT "fk_sessions_chair"');
    await queryRunner.query('DROP INDEX "public"."ux_sessions_chair_active"');
    await queryRunner.query('ALTER TABLE "sessions" DROP COLUMN "chair_id"');
  }
}
