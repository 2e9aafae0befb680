import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The X-Request-Id a caller sent is kept as its claim, beside Vigil's own id of the request. */
export class AuditClaimedRequestId1795966799488 implements MigrationInterface {
  name = 'AuditClaimedRequestId1795966799488';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "audit_events" ADD "claimed_request_id" text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "audit_events" DROP COLUMN "claimed_request_id"');
  }
}
