import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Destruction of stock (the DEA Form 41 record) and transfers to a reverse distributor, each with two
 * employee witnesses (21 CFR 1317.95); the containers they close out lose what was left by a
 * `destroy` or `transfer` event pointing at the disposal. Hand-written: the event kinds and the
 * witness rule on the ledger's own CHECK constraints.
 */
export class ControlledSubstanceDisposals1796607565644 implements MigrationInterface {
  name = 'ControlledSubstanceDisposals1796607565644';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "cs_disposals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "registration_id" uuid NOT NULL, "kind" text NOT NULL, "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "actor_user_id" uuid NOT NULL, "witness1_user_id" uuid NOT NULL, "witness2_user_id" uuid NOT NULL, "reason" text NOT NULL, "method" text, "location" text, "distributor_name" text, "distributor_address" text, "distributor_dea_number" text, "reference" text, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_cs_disposals_facts" CHECK (("kind" = \'destruction\' AND "method" IS NOT NULL AND "location" IS NOT NULL AND "distributor_dea_number" IS NULL) OR ("kind" = \'transfer\' AND "distributor_name" IS NOT NULL AND "distributor_address" IS NOT NULL AND "distributor_dea_number" IS NOT NULL AND "method" IS NULL)), CONSTRAINT "ck_cs_disposals_witnesses" CHECK ("witness1_user_id" <> "witness2_user_id" AND "witness1_user_id" <> "actor_user_id" AND "witness2_user_id" <> "actor_user_id"), CONSTRAINT "ck_cs_disposals_kind" CHECK ("kind" IN (\'destruction\', \'transfer\')), CONSTRAINT "pk_cs_disposals" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_cs_disposals_clinic" ON "cs_disposals"  ("clinic_id", "occurred_at") ');
    await queryRunner.query('ALTER TABLE "cs_events" ADD "disposal_id" uuid');
    await queryRunner.query(
      'ALTER TABLE "cs_events" ADD CONSTRAINT "ck_cs_events_disposal" CHECK (("kind" IN (\'destroy\', \'transfer\')) = ("disposal_id" IS NOT NULL))',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_disposals" ADD CONSTRAINT "fk_cs_disposals_registration" FOREIGN KEY ("registration_id") REFERENCES "cs_registrations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_disposals" ADD CONSTRAINT "fk_cs_disposals_actor" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_disposals" ADD CONSTRAINT "fk_cs_disposals_witness1" FOREIGN KEY ("witness1_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_disposals" ADD CONSTRAINT "fk_cs_disposals_witness2" FOREIGN KEY ("witness2_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cs_events" ADD CONSTRAINT "fk_cs_events_disposal" FOREIGN KEY ("disposal_id") REFERENCES "cs_disposals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "ck_cs_events_kind"');
    await queryRunner.query(
      `ALTER TABLE "cs_events" ADD CONSTRAINT "ck_cs_events_kind" CHECK ("kind" IN ('receipt', 'administer', 'reconcile', 'waste', 'count', 'quarantine', 'release', 'correction', 'loss', 'destroy', 'transfer'))`,
    );
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "ck_cs_events_witnessed"');
    await queryRunner.query(
      `ALTER TABLE "cs_events" ADD CONSTRAINT "ck_cs_events_witnessed" CHECK ("kind" NOT IN ('waste', 'count', 'destroy', 'transfer') OR "witness_user_id" IS NOT NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The ledger keeps its destroy and transfer events (it is append-only): the constraints go back only when there are none.
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "ck_cs_events_witnessed"');
    await queryRunner.query(
      `ALTER TABLE "cs_events" ADD CONSTRAINT "ck_cs_events_witnessed" CHECK ("kind" NOT IN ('waste', 'count') OR "witness_user_id" IS NOT NULL)`,
    );
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "ck_cs_events_kind"');
    await queryRunner.query(
      `ALTER TABLE "cs_events" ADD CONSTRAINT "ck_cs_events_kind" CHECK ("kind" IN ('receipt', 'administer', 'reconcile', 'waste', 'count', 'quarantine', 'release', 'correction', 'loss'))`,
    );
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "fk_cs_events_disposal"');
    await queryRunner.query('ALTER TABLE "cs_disposals" DROP CONSTRAINT "fk_cs_disposals_witness2"');
    await queryRunner.query('ALTER TABLE "cs_disposals" DROP CONSTRAINT "fk_cs_disposals_witness1"');
    await queryRunner.query('ALTER TABLE "cs_disposals" DROP CONSTRAINT "fk_cs_disposals_actor"');
    await queryRunner.query('ALTER TABLE "cs_disposals" DROP CONSTRAINT "fk_cs_disposals_registration"');
    await queryRunner.query('ALTER TABLE "cs_events" DROP CONSTRAINT "ck_cs_events_disposal"');
    await queryRunner.query('ALTER TABLE "cs_events" DROP COLUMN "disposal_id"');
    await queryRunner.query('DROP INDEX "public"."ix_cs_disposals_clinic"');
    await queryRunner.query('DROP TABLE "cs_disposals"');
  }
}
