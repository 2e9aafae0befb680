import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The controlled-substance ledger: DEA registrations, products, receipts, containers, the ledger of
 * events and discrepancies. Hand-written at the end of `up`: the ledger is append-only (PostgreSQL
 * refuses UPDATE, DELETE and TRUNCATE, as for the audit trail) and the application's role may only
 * read it and append to it.
 */
export class ControlledSubstanceLedger1796598235935 implements MigrationInterface {
  name = 'ControlledSubstanceLedger1796598235935';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "cs_registrations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "dea_number" text NOT NULL, "registrant_name" text NOT NULL, "address" text NOT NULL, "schedules" text array NOT NULL, "expires_on" date NOT NULL, "state_license_number" text, "created_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "ck_cs_registrations_schedules" CHECK (cardinality("schedules") > 0 AND "schedules" <@ ARRAY[\'1\',\'2\',\'2N\',\'3\',\'3N\',\'4\',\'5\']::text[]), CONSTRAINT "pk_cs_registrations" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ux_cs_registrations_number" ON "cs_registrations"  ("clinic_id", "dea_number") ');
    await queryRunner.query(
      'CREATE TABLE "cs_products" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid, "ndc" text, "name" text NOT NULL, "substance" text NOT NULL, "dea_code" integer NOT NULL, "schedule" text NOT NULL, "form" text NOT NULL, "strength_mg_per_ml" numeric(9,3), "mg_per_unit" numeric(9,3) NOT NULL, "units_per_container" numeric(9,3) NOT NULL, "unit" text NOT NULL, "container_kind" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_cs_products_unit" CHECK (("unit" = \'mL\' AND "strength_mg_per_ml" IS NOT NULL AND "mg_per_unit" = "strength_mg_per_ml") OR ("unit" = \'device\' AND "form" = \'nasal_spray\' AND "strength_mg_per_ml" IS NULL)), CONSTRAINT "ck_cs_products_amounts" CHECK ("mg_per_unit" > 0 AND "units_per_container" > 0), CONSTRAINT "ck_cs_products_container_kind" CHECK ("container_kind" IN (\'vial\', \'kit\')), CONSTRAINT "ck_cs_products_form" CHECK ("form" IN (\'injection\', \'nasal_spray\')), CONSTRAINT "ck_cs_products_substance" CHECK ("substance" IN (\'ketamine\', \'esketamine\')), CONSTRAINT "pk_cs_products" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_cs_products_clinic_ndc" ON "cs_products"  ("clinic_id", "ndc") WHERE "clinic_id" IS NOT NULL AND "ndc" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_cs_products_vigil_ndc" ON "cs_products"  ("ndc") WHERE "clinic_id" IS NULL AND "ndc" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "cs_receipts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "registration_id" uuid NOT NULL, "product_id" uuid NOT NULL, "ndc" text NOT NULL, "lot" text NOT NULL, "expires_on" date NOT NULL, "supplier_name" text NOT NULL, "supplier_address" text NOT NULL, "supplier_dea_number" text NOT NULL, "invoice_number" text NOT NULL, "invoice_date" date, "containers_invoiced" integer NOT NULL, "containers_counted" integer, "received_on" date, "status" text NOT NULL, "entered_by" uuid NOT NULL, "counted_by" uuid, "counted_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "ck_cs_receipts_counted" CHECK (("status" = \'awaiting-count\' AND "containers_counted" IS NULL AND "received_on" IS NULL AND "counted_by" IS NULL) OR ("status" = \'received\' AND "containers_counted" >= 0 AND "received_on" IS NOT NULL AND "counted_by" IS NOT NULL)), CONSTRAINT "ck_cs_receipts_invoiced" CHECK ("containers_invoiced" > 0), CONSTRAINT "ck_cs_receipts_status" CHECK ("status" IN (\'awaiting-count\', \'received\')), CONSTRAINT "pk_cs_receipts" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_cs_receipts_clinic" ON "cs_receipts"  ("clinic_id", "created_at") ');
    await queryRunner.query(
      'CREATE TABLE "cs_containers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "registration_id" uuid NOT NULL, "product_id" uuid NOT NULL, "receipt_id" uuid NOT NULL, "seq" integer NOT NULL, "ndc" text NOT NULL, "lot" text NOT NULL, "expires_on" date NOT NULL, "status" text NOT NULL, "balance" numeric(12,3) NOT NULL, "opened_at" TIMESTAMP(3) WITH TIME ZONE, "status_reason" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "ck_cs_containers_balance" CHECK ("balance" >= 0), CONSTRAINT "ck_cs_containers_status" CHECK ("status" IN (\'sealed\', \'open\', \'empty\', \'quarantined\', \'destroyed\', \'transferred\')), CONSTRAINT "pk_cs_containers" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ux_cs_containers_receipt_seq" ON "cs_containers"  ("receipt_id", "seq") ');
    await queryRunner.query('CREATE INDEX "ix_cs_containers_clinic" ON "cs_containers"  ("clinic_id", "status", "expires_on") ');
    await queryRunner.query(
      'CREATE TABLE "cs_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "registration_id" uuid NOT NULL, "container_id" uuid, "kind" text NOT NULL, "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "actor_user_id" uuid NOT NULL, "witness_user_id" uuid, "quantity" numeric(12,3) NOT NULL, "unit" text NOT NULL, "quantity_mg" numeric(12,3), "delta" numeric(12,3) NOT NULL, "balance_after" numeric(12,3), "patient_id" uuid, "session_id" uuid, "receipt_id" uuid, "corrects_event_id" uuid, "reason" text, "data" jsonb, "request_id" text, CONSTRAINT "ck_cs_events_correction" CHECK ("kind" <> \'correction\' OR "corrects_event_id" IS NOT NULL), CONSTRAINT "ck_cs_events_administer" CHECK ("kind" NOT IN (\'administer\', \'reconcile\') OR ("session_id" IS NOT NULL AND "patient_id" IS NOT NULL)), CONSTRAINT "ck_cs_events_witnessed" CHECK ("kind" NOT IN (\'waste\', \'count\') OR "witness_user_id" IS NOT NULL), CONSTRAINT "ck_cs_events_witness" CHECK ("witness_user_id" IS NULL OR "witness_user_id" <> "actor_user_id"), CONSTRAINT "ck_cs_events_container_balance" CHECK (("container_id" IS NULL) = ("balance_after" IS NULL)), CONSTRAINT "ck_cs_events_balance" CHECK ("balance_after" >= 0), CONSTRAINT "ck_cs_events_quantity" CHECK ("quantity" >= 0), CONSTRAINT "ck_cs_events_kind" CHECK ("kind" IN (\'receipt\', \'administer\', \'reconcile\', \'waste\', \'count\', \'quarantine\', \'release\', \'correction\')), CONSTRAINT "pk_cs_events" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_cs_events_session" ON "cs_events"  ("session_id") ');
    await queryRunner.query('CREATE INDEX "ix_cs_events_clinic" ON "cs_events"  ("clinic_id", "occurred_at") ');
    await queryRunner.query('CREATE INDEX "ix_cs_events_container" ON "cs_events"  ("container_id", "recorded_at") ');
    await queryRunner.query(
      'CREATE TABLE "cs_discrepancies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "registration_id" uuid NOT NULL, "kind" text NOT NULL, "container_id" uuid, "receipt_id" uuid, "event_id" uuid, "expected" numeric(12,3) NOT NULL, "found" numeric(12,3) NOT NULL, "unit" text NOT NULL, "status" text NOT NULL, "opened_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "opened_by" uuid NOT NULL, "due_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "resolved_at" TIMESTAMP(3) WITH TIME ZONE, "resolved_by" uuid, "resolution" text, "correction_event_id" uuid, "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "ck_cs_discrepancies_resolved" CHECK (("status" = \'open\' AND "resolved_at" IS NULL AND "resolved_by" IS NULL AND "resolution" IS NULL) OR ("status" = \'resolved\' AND "resolved_at" IS NOT NULL AND "resolved_by" IS NOT NULL AND "resolution" IS NOT NULL)), CONSTRAINT "ck_cs_discrepancies_status" CHECK ("status" IN (\'open\', \'resolved\')), CONSTRAINT "ck_cs_discrepancies_kind" CHECK ("kind" IN (\'receipt-count\', \'count-variance\')), CONSTRAINT "pk_cs_discrepancies" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_cs_discrepancies_clinic" ON "cs_discrepancies"  ("clinic_id", "status", "opened_at") ');
    await queryRunner.query(
      'ALTER TABLE "cs_registrations" ADD CONSTRAINT "fk_cs_registrations_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_registrations" ADD CONSTRAINT "fk_cs_registrations_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_products" ADD CONSTRAINT "fk_cs_products_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_products" ADD CONSTRAINT "fk_cs_products_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_receipts" ADD CONSTRAINT "fk_cs_receipts_registration" FOREIGN KEY ("registration_id") REFERENCES "cs_registrations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_receipts" ADD CONSTRAINT "fk_cs_receipts_product" FOREIGN KEY ("product_id") REFERENCES "cs_products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_receipts" ADD CONSTRAINT "fk_cs_receipts_entered_by" FOREIGN KEY ("entered_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_receipts" ADD CONSTRAINT "fk_cs_receipts_counted_by" FOREIGN KEY ("counted_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_containers" ADD CONSTRAINT "fk_cs_containers_registration" FOREIGN KEY ("registration_id") REFERENCES "cs_registrations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_containers" ADD CONSTRAINT "fk_cs_containers_product" FOREIGN KEY ("product_id") REFERENCES "cs_products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_containers" ADD CONSTRAINT "fk_cs_containers_receipt" FOREIGN KEY ("receipt_id") REFERENCES "cs_receipts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_events" ADD CONSTRAINT "fk_cs_events_registration" FOREIGN KEY ("registration_id") REFERENCES "cs_registrations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_events" ADD CONSTRAINT "fk_cs_events_container" FOREIGN KEY ("container_id") REFERENCES "cs_containers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_events" ADD CONSTRAINT "fk_cs_events_actor" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_events" ADD CONSTRAINT "fk_cs_events_witness" FOREIGN KEY ("witness_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_events" ADD CONSTRAINT "fk_cs_events_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_events" ADD CONSTRAINT "fk_cs_events_session" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_events" ADD CONSTRAINT "fk_cs_events_receipt" FOREIGN KEY ("receipt_id") REFERENCES "cs_receipts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_events" ADD CONSTRAINT "fk_cs_events_corrects" FOREIGN KEY ("corrects_event_id") REFERENCES "cs_events"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_discrepancies" ADD CONSTRAINT "fk_cs_discrepancies_registration" FOREIGN KEY ("registration_id") REFERENCES "cs_registrations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_discrepancies" ADD CONSTRAINT "fk_cs_discrepancies_container" FOREIGN KEY ("container_id") REFERENCES "cs_containers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_discrepancies" ADD CONSTRAINT "fk_cs_discrepancies_receipt" FOREIGN KEY ("receipt_id") REFERENCES "cs_receipts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_discrepancies" ADD CONSTRAINT "fk_cs_discrepancies_event" FOREIGN KEY ("event_id") REFERENCES "cs_events"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_discrepancies" ADD CONSTRAINT "fk_cs_discrepancies_opened_by" FOREIGN KEY ("opened_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_discrepancies" ADD CONSTRAINT "fk_cs_discrepancies_resolved_by" FOREIGN KEY ("resolved_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_discrepancies" ADD CONSTRAINT "fk_cs_discrepancies_correction" FOREIGN KEY ("correction_event_id") REFERENCES "cs_events"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    // Hand-written: the ledger is append-only; a mistake is corrected by a new event pointing at it (21 CFR 1304.21(a)).
    await queryRunner.query(`
      CREATE FUNCTION cs_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'cs_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(
      'CREATE TRIGGER tr_cs_events_no_update_delete BEFORE UPDATE OR DELETE ON "cs_events" FOR EACH ROW EXECUTE FUNCTION cs_events_append_only()',
    );
    await queryRunner.query(
      'CREATE TRIGGER tr_cs_events_no_truncate BEFORE TRUNCATE ON "cs_events" FOR EACH STATEMENT EXECUTE FUNCTION cs_events_append_only()',
    );
    // The application's role (DatabaseRoles) reads and appends, as on audit_events.
    await queryRunner.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigil_app') THEN
          REVOKE UPDATE, DELETE, TRUNCATE ON cs_events FROM vigil_app;
        END IF;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER tr_cs_events_no_truncate ON "cs_events"');
    await queryRunner.query('DROP TRIGGER tr_cs_events_no_update_delete ON "cs_events"');
    await queryRunner.query('DROP FUNCTION cs_events_append_only()');
    await queryRunner.query('ALTER TABLE "cs_discrepancies" DROP CONSTRAINT "fk_cs_discrepancies_correction"');
    await queryRunner.query('ALTER TABLE "cs_discrepancies" DROP CONSTRAINT "fk_cs_discrepancies_resolved_by"');
    await queryRunner.query('ALTER TABLE "cs_discrepancies" DROP CONSTRAINT "fk_cs_discrepancies_opened_by"');
    await queryRunner.query('ALTER TABLE "cs_discrepancies" DROP CONSTRAINT "fk_cs_discrepancies_event"');
    await queryRunner.query('ALTER TABLE "cs_discrepancies" DROP CONSTRAINT "fk_cs_discrepancies_receipt"');
    await queryRunner.query('ALTER TABLE "cs_discrepancies" DROP CONSTRAINT "fk_cs_discrepancies_container"');
    await queryRunner.query('ALTER TABLE "cs_discrepancies" DROP CONSTRAINT "fk_cs_discrepancies_registration"');
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "fk_cs_events_corrects"');
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "fk_cs_events_receipt"');
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "fk_cs_events_session"');
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "fk_cs_events_patient"');
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "fk_cs_events_witness"');
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "fk_cs_events_actor"');
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "fk_cs_events_container"');
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "fk_cs_events_registration"');
    await queryRunner.query('ALTER TABLE "cs_containers" DROP CONSTRAINT "fk_cs_containers_receipt"');
    await queryRunner.query('ALTER TABLE "cs_containers" DROP CONSTRAINT "fk_cs_containers_product"');
    await queryRunner.query('ALTER TABLE "cs_containers" DROP CONSTRAINT "fk_cs_containers_registration"');
    await queryRunner.query('ALTER TABLE "cs_receipts" DROP CONSTRAINT "fk_cs_receipts_counted_by"');
    await queryRunner.query('ALTER TABLE "cs_receipts" DROP CONSTRAINT "fk_cs_receipts_entered_by"');
    await queryRunner.query('ALTER TABLE "cs_receipts" DROP CONSTRAINT "fk_cs_receipts_product"');
    await queryRunner.query('ALTER TABLE "cs_receipts" DROP CONSTRAINT "fk_cs_receipts_registration"');
    await queryRunner.query('ALTER TABLE "cs_products" DROP CONSTRAINT "fk_cs_products_created_by"');
    await queryRunner.query('ALTER TABLE "cs_products" DROP CONSTRAINT "fk_cs_products_clinic"');
    await queryRunner.query('ALTER TABLE "cs_registrations" DROP CONSTRAINT "fk_cs_registrations_created_by"');
    await queryRunner.query('ALTER TABLE "cs_registrations" DROP CONSTRAINT "fk_cs_registrations_clinic"');
    await queryRunner.query('DROP INDEX "public"."ix_cs_discrepancies_clinic"');
    await queryRunner.query('DROP TABLE "cs_discrepancies"');
    await queryRunner.query('DROP INDEX "public"."ix_cs_events_container"');
    await queryRunner.query('DROP INDEX "public"."ix_cs_events_clinic"');
    await queryRunner.query('DROP INDEX "public"."ix_cs_events_session"');
    await queryRunner.query('DROP TABLE "cs_events"');
    await queryRunner.query('DROP INDEX "public"."ix_cs_containers_clinic"');
    await queryRunner.query('DROP INDEX "public"."ux_cs_containers_receipt_seq"');
    await queryRunner.query('DROP TABLE "cs_containers"');
    await queryRunner.query('DROP INDEX "public"."ix_cs_receipts_clinic"');
    await queryRunner.query('DROP TABLE "cs_receipts"');
    await queryRunner.query('DROP INDEX "public"."ux_cs_products_vigil_ndc"');
    await queryRunner.query('DROP INDEX "public"."ux_cs_products_clinic_ndc"');
    await queryRunner.query('DROP TABLE "cs_products"');
    await queryRunner.query('DROP INDEX "public"."ux_cs_registrations_number"');
    await queryRunner.query('DROP TABLE "cs_registrations"');
  }
}
