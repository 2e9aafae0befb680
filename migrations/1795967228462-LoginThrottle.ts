import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login throttle in PostgreSQL (shared by every API process): attempts per client address and per
 * (address, account), with the pair's failed logins in a row and the back-off they impose. It
 * replaces the account-wide lock (`users.failed_login_count`, `users.locked_until`), which anyone
 * could set off against anyone. Not an entity: only SignInService's LoginThrottle reads it.
 */
export class LoginThrottle1795967228462 implements MigrationInterface {
  name = 'LoginThrottle1795967228462';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "login_throttle" ("scope" text NOT NULL, "address" text NOT NULL, "email" text NOT NULL, ` +
        `"window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "attempts" integer NOT NULL, "failures" integer NOT NULL DEFAULT 0, ` +
        `"failed_at" TIMESTAMP WITH TIME ZONE, "wait_until" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, ` +
        `CONSTRAINT "ck_login_throttle_scope" CHECK ("scope" IN ('address', 'account')), ` +
        `CONSTRAINT "pk_login_throttle" PRIMARY KEY ("scope", "address", "email"))`,
    );
    await queryRunner.query('CREATE INDEX "ix_login_throttle_email" ON "login_throttle" ("email")');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "failed_login_count"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "locked_until"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" ADD "locked_until" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "users" ADD "failed_login_count" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query('DROP TABLE "login_throttle"');
  }
}
