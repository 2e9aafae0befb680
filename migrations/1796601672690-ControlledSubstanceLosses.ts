import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Theft and loss reports with their two clocks (the notice and Form 106 deadlines, each reminder a row
 * the durable queue fires), and the clinic's DEA holiday list that business days skip. Hand-written:
 * the ledger records a `loss` event.
 */
export class ControlledSubstanceLosses1796601672690 implements MigrationInterface {
  name = 'ControlledSubstanceLosses1796601672690';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "cs_holidays" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "date" date NOT NULL, "name" text NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_cs_holidays" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ux_cs_holidays_day" ON "cs_holidays"  ("clinic_id", "date") ');
    await queryRunner.query(
      'CREATE TABLE "cs_loss_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "registration_id" uuid NOT NULL, "kind" text NOT NULL, "discovered_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "narrative" text NOT NULL, "container_id" uuid, "quantity" numeric(12,3), "unit" text, "loss_event_id" uuid, "notice_due_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "form106_due_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "status" text NOT NULL, "notified_at" TIMESTAMP(3) WITH TIME ZONE, "notice_reference" text, "form106_filed_at" TIMESTAMP(3) WITH TIME ZONE, "form106_number" text, "reported_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "ck_cs_loss_reports_filed" CHECK ("status" <> \'filed\' OR ("form106_filed_at" IS NOT NULL AND "form106_number" IS NOT NULL)), CONSTRAINT "ck_cs_loss_reports_notified" CHECK ("status" = \'open\' OR "notified_at" IS NOT NULL), CONSTRAINT "ck_cs_loss_reports_status" CHECK ("status" IN (\'open\', \'notified\', \'filed\')), CONSTRAINT "ck_cs_loss_reports_kind" CHECK ("kind" IN (\'theft\', \'loss\')), CONSTRAINT "pk_cs_loss_reports" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_cs_loss_reports_clinic" ON "cs_loss_reports"  ("clinic_id", "discovered_at") ');
    await queryRunner.query(
      'CREATE TABLE "cs_loss_deadlines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "loss_report_id" uuid NOT NULL, "clock" text NOT NULL, "kind" text NOT NULL, "due_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "sent_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "ck_cs_loss_deadlines_kind" CHECK ("kind" IN (\'reminder-50\', \'reminder-90\', \'overdue\')), CONSTRAINT "ck_cs_loss_deadlines_clock" CHECK ("clock" IN (\'notice\', \'form-106\')), CONSTRAINT "pk_cs_loss_deadlines" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_cs_loss_deadlines_report" ON "cs_loss_deadlines"  ("loss_report_id", "due_at") ');
    await queryRunner.query(
      'ALTER TABLE "cs_holidays" ADD CONSTRAINT "fk_cs_holidays_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_holidays" ADD CONSTRAINT "fk_cs_holidays_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_loss_reports" ADD CONSTRAINT "fk_cs_loss_reports_registration" FOREIGN KEY ("registration_id") REFERENCES "cs_registrations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_loss_reports" ADD CONSTRAINT "fk_cs_loss_reports_container" FOREIGN KEY ("container_id") REFERENCES "cs_containers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_loss_reports" ADD CONSTRAINT "fk_cs_loss_reports_event" FOREIGN KEY ("loss_event_id") REFERENCES "cs_events"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_loss_reports" ADD CONSTRAINT "fk_cs_loss_reports_reported_by" FOREIGN KEY ("reported_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_loss_deadlines" ADD CONSTRAINT "fk_cs_loss_deadlines_report" FOREIGN KEY ("loss_report_id") REFERENCES "cs_loss_reports"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "ck_cs_events_kind"');
    await queryRunner.query(
      `ALTER TABLE "cs_events" ADD CONSTRAINT "ck_cs_events_kind" CHECK ("kind" IN ('receipt', 'administer', 'reconcile', 'waste', 'count', 'quarantine', 'release', 'correction', 'loss'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The ledger keeps its loss events (it is append-only): the constraint goes back only when there are none.
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "ck_cs_events_kind"');
    await queryRunner.query(
      `ALTER TABLE "cs_events" ADD CONSTRAINT "ck_cs_events_kind" CHECK ("kind" IN ('receipt', 'administer', 'reconcile', 'waste', 'count', 'quarantine', 'release', 'correction'))`,
    );
    await queryRunner.query('ALTER TABLE "cs_loss_deadlines" DROP CONSTRAINT "fk_cs_loss_deadlines_report"');
    await queryRunner.query('ALTER TABLE "cs_loss_reports" DROP CONSTRAINT "fk_cs_loss_reports_reported_by"');
    await queryRunner.query('ALTER TABLE "cs_loss_reports" DROP CONSTRAINT "fk_cs_loss_reports_event"');
    await queryRunner.query('ALTER TABLE "cs_loss_reports" DROP CONSTRAINT "fk_cs_loss_reports_container"');
    await queryRunner.query('ALTER TABLE "cs_loss_reports" DROP CONSTRAINT "fk_cs_loss_reports_registration"');
    await queryRunner.query('ALTER TABLE "cs_holidays" DROP CONSTRAINT "fk_cs_holidays_created_by"');
    await queryRunner.query('ALTER TABLE "cs_holidays" DROP CONSTRAINT "fk_cs_holidays_clinic"');
    await queryRunner.query('DROP INDEX "public"."ix_cs_loss_deadlines_report"');
    await queryRunner.query('DROP TABLE "cs_loss_deadlines"');
    await queryRunner.query('DROP INDEX "public"."ix_cs_loss_reports_clinic"');
    await queryRunner.query('DROP TABLE "cs_loss_reports"');
    await queryRunner.query('DROP INDEX "public"."ux_cs_holidays_day"');
    await queryRunner.query('DROP TABLE "cs_holidays"');
  }
}
