import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency keys belong to the user who sent them, not to the clinic: a colleague's same key is another request. */
export class IdempotencyKeysPerUser1795967900000 implements MigrationInterface {
  name = 'IdempotencyKeysPerUser1795967900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "idempotency_keys" DROP CONSTRAINT "pk_idempotency_keys"');
    await queryRunner.query('ALTER TABLE "idempotency_keys" ADD CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("key", "user_id")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Two users of one clinic may hold the same key by now: only the first of each is kept.
    await queryRunner.query(
      'DELETE FROM "idempotency_keys" a USING "idempotency_keys" b WHERE a.clinic_id = b.clinic_id AND a.key = b.key AND (a.created_at, a.user_id) > (b.created_at, b.user_id)',
    );
    await queryRunner.query('ALTER TABLE "idempotency_keys" DROP CONSTRAINT "pk_idempotency_keys"');
    await queryRunner.query('ALTER TABLE "idempotency_keys" ADD CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("clinic_id", "key")');
  }
}
