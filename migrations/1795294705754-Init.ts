import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795294705754 implements MigrationInterface {
  name = 'Init1795294705754';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "clinic_id" uuid, "actor_user_id" uuid, "actor_role" text, "action" text NOT NULL, "resource_type" text NOT NULL, "resource_id" text, "outcome" text NOT NULL, "request_id" text, "ip" text, "changes" jsonb, CONSTRAINT "pk_audit_events" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_audit_events_ip_action" ON "audit_events"  ("ip", "action", "occurred_at") ');
    await queryRunner.query('CREATE INDEX "ix_audit_events_actor" ON "audit_events"  ("actor_user_id", "occurred_at") ');
    await queryRunner.query('CREATE INDEX "ix_audit_events_resource" ON "audit_events"  ("resource_type", "resource_id", "occurred_at") ');
    await queryRunner.query('CREATE INDEX "ix_audit_events_clinic_time" ON "audit_events"  ("clinic_id", "occurred_at") ');
    await queryRunner.query(
      'CREATE TABLE "pending_work" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid, "kind" text NOT NULL, "subject_id" uuid NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT \'pending\', "attempts" integer NOT NULL DEFAULT \'0\', "last_error" text, "request_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_pending_work" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_pending_work_subject" ON "pending_work"  ("kind", "subject_id") WHERE "status" = \'pending\'',
    );
    await queryRunner.query('CREATE INDEX "ix_pending_work_due" ON "pending_work"  ("due_at") WHERE "status" = \'pending\'');
    await queryRunner.query(
      'CREATE TABLE "clinics" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "time_zone" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_clinics" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "email" text NOT NULL, "name" text NOT NULL, "role" text NOT NULL, "password_hash" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "failed_login_count" integer NOT NULL DEFAULT \'0\', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "ck_users_role" CHECK ("role" IN (\'nurse\', \'anesthesiologist\', \'admin\')), CONSTRAINT "pk_users" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_users_clinic" ON "users"  ("clinic_id", "created_at") ');
    await queryRunner.query('CREATE UNIQUE INDEX "ux_users_email" ON "users"  ("email") ');
    await queryRunner.query(
      'CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "family_id" uuid NOT NULL, "token_hash" text, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" text, CONSTRAINT "pk_refresh_tokens" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_user" ON "refresh_tokens"  ("user_id") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_family" ON "refresh_tokens"  ("family_id") ');
    await queryRunner.query(
      'CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid, "recipient_user_id" uuid, "recipient_address" text NOT NULL, "channel" text NOT NULL DEFAULT \'email\', "subject" text NOT NULL, "body" text NOT NULL, "status" text NOT NULL DEFAULT \'pending\', "attempts" integer NOT NULL DEFAULT \'0\', "last_error" text, "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "request_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_notifications" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_notifications_clinic" ON "notifications"  ("clinic_id", "created_at") ');
    await queryRunner.query('CREATE INDEX "ix_notifications_pending" ON "notifications"  ("next_attempt_at") WHERE "status" = \'pending\'');
    await queryRunner.query(
      'ALTER TABLE "users" ADD CONSTRAINT "fk_users_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "refresh_tokens" ADD CONSTRAINT "fk_refresh_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );

    // Hand-written: the audit trail is append-only; PostgreSQL itself refuses to change it.
    await queryRunner.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER tr_audit_events_no_update_delete BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER tr_audit_events_no_truncate BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tr_audit_events_no_truncate ON "audit_events"`);
    await queryRunner.query(`DROP TRIGGER tr_audit_events_no_update_delete ON "audit_events"`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
    await queryRunner.query('ALTER TABLE "refresh_tokens" DROP CONSTRAINT "fk_refresh_tokens_user"');
    await queryRunner.query('ALTER TABLE "users" DROP CONSTRAINT "fk_users_clinic"');
    await queryRunner.query('DROP INDEX "public"."ix_notifications_pending"');
    await queryRunner.query('DROP INDEX "public"."ix_notifications_clinic"');
    await queryRunner.query('DROP TABLE "notifications"');
    await queryRunner.query('DROP INDEX "public"."ix_refresh_tokens_family"');
    await queryRunner.query('DROP INDEX "public"."ix_refresh_tokens_user"');
    await queryRunner.query('DROP TABLE "refresh_tokens"');
    await queryRunner.query('DROP INDEX "public"."ux_users_email"');
    await queryRunner.query('DROP INDEX "public"."ix_users_clinic"');
    await queryRunner.query('DROP TABLE "users"');
    await queryRunner.query('DROP TABLE "clinics"');
    await queryRunner.query('DROP INDEX "public"."ix_pending_work_due"');
    await queryRunner.query('DROP INDEX "public"."ux_pending_work_subject"');
    await queryRunner.query('DROP TABLE "pending_work"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_events_clinic_time"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_events_resource"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_events_actor"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_events_ip_action"');
    await queryRunner.query('DROP TABLE "audit_events"');
  }
}
