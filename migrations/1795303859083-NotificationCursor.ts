import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationCursor1795303859083 implements MigrationInterface {
  name = 'NotificationCursor1795303859083';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_notifications_clinic"');
    await queryRunner.query('ALTER TABLE "notifications" ALTER COLUMN "created_at" TYPE TIMESTAMP(3) WITH TIME ZONE');
    await queryRunner.query('CREATE INDEX "ix_notifications_clinic" ON "notifications"  ("clinic_id", "created_at") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_notifications_clinic"');
    await queryRunner.query('ALTER TABLE "notifications" ALTER COLUMN "created_at" TYPE TIMESTAMP(6) WITH TIME ZONE');
    await queryRunner.query('CREATE INDEX "ix_notifications_clinic" ON "notifications" USING btree ("clinic_id", "created_at") ');
  }
}
