import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inventories of a registration's stock (21 CFR 1304.11), each container's line a witnessed `count`
 * event pointing at its inventory, and the ledger's dated reminders (the next biennial inventory, a
 * registration's renewal and lapse), each a row the durable queue fires. One initial inventory per
 * registration.
 */
export class ControlledSubstanceInventories1796608635992 implements MigrationInterface {
  name = 'ControlledSubstanceInventories1796608635992';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "cs_inventories" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "registration_id" uuid NOT NULL, "kind" text NOT NULL, "taken_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "taken_on" date NOT NULL, "time_of_day" text NOT NULL, "taken_by" uuid NOT NULL, "witness_user_id" uuid NOT NULL, "note" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_cs_inventories_witness" CHECK ("witness_user_id" <> "taken_by"), CONSTRAINT "ck_cs_inventories_time" CHECK ("time_of_day" IN (\'opening\', \'close\')), CONSTRAINT "ck_cs_inventories_kind" CHECK ("kind" IN (\'initial\', \'biennial\', \'ad-hoc\')), CONSTRAINT "pk_cs_inventories" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_cs_inventories_initial" ON "cs_inventories"  ("registration_id") WHERE "kind" = \'initial\'',
    );
    await queryRunner.query('CREATE INDEX "ix_cs_inventories_registration" ON "cs_inventories"  ("registration_id", "taken_at") ');
    await queryRunner.query(
      'CREATE TABLE "cs_reminders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "registration_id" uuid NOT NULL, "kind" text NOT NULL, "basis" date NOT NULL, "due_on" date NOT NULL, "due_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "sent_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_cs_reminders_kind" CHECK ("kind" IN (\'inventory-due\', \'inventory-overdue\', \'registration-renewal\', \'registration-lapsed\')), CONSTRAINT "pk_cs_reminders" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_cs_reminders_registration" ON "cs_reminders"  ("registration_id", "kind", "due_at") ');
    await queryRunner.query('ALTER TABLE "cs_events" ADD "inventory_id" uuid');
    await queryRunner.query('CREATE INDEX "ix_cs_events_inventory" ON "cs_events"  ("inventory_id") WHERE "inventory_id" IS NOT NULL');
    await queryRunner.query(
      'ALTER TABLE "cs_events" ADD CONSTRAINT "ck_cs_events_inventory" CHECK ("inventory_id" IS NULL OR "kind" = \'count\')',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_inventories" ADD CONSTRAINT "fk_cs_inventories_registration" FOREIGN KEY ("registration_id") REFERENCES "cs_registrations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_inventories" ADD CONSTRAINT "fk_cs_inventories_taken_by" FOREIGN KEY ("taken_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_inventories" ADD CONSTRAINT "fk_cs_inventories_witness" FOREIGN KEY ("witness_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_reminders" ADD CONSTRAINT "fk_cs_reminders_registration" FOREIGN KEY ("registration_id") REFERENCES "cs_registrations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_events" ADD CONSTRAINT "fk_cs_events_inventory" FOREIGN KEY ("inventory_id") REFERENCES "cs_inventories"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "fk_cs_events_inventory"');
    await queryRunner.query('ALTER TABLE "cs_reminders" DROP CONSTRAINT "fk_cs_reminders_registration"');
    await queryRunner.query('ALTER TABLE "cs_inventories" DROP CONSTRAINT "fk_cs_inventories_witness"');
    await queryRunner.query('ALTER TABLE "cs_inventories" DROP CONSTRAINT "fk_cs_inventories_taken_by"');
    await queryRunner.query('ALTER TABLE "cs_inventories" DROP CONSTRAINT "fk_cs_inventories_registration"');
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "ck_cs_events_inventory"');
    await queryRunner.query('DROP INDEX "public"."ix_cs_events_inventory"');
    await queryRunner.query('ALTER TABLE "cs_events" DROP COLUMN "inventory_id"');
    await queryRunner.query('DROP INDEX "public"."ix_cs_reminders_registration"');
    await queryRunner.query('DROP TABLE "cs_reminders"');
    await queryRunner.query('DROP INDEX "public"."ix_cs_inventories_registration"');
    await queryRunner.query('DROP INDEX "public"."ux_cs_inventories_initial"');
    await queryRunner.query('DROP TABLE "cs_inventories"');
  }
}
