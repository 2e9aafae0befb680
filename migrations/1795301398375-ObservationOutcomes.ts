import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ObservationOutcomes1795301398375 implements MigrationInterface {
  name = 'ObservationOutcomes1795301398375';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "assessments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "session_id" uuid, "instrument" text NOT NULL, "items" jsonb NOT NULL, "behaviour_past_three_months" boolean, "total" smallint NOT NULL, "band" text, "flags" text array NOT NULL DEFAULT \'{}\', "loinc" text, "administered_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "recorded_by" uuid NOT NULL, "reviewed_by" uuid, "reviewed_at" TIMESTAMP(3) WITH TIME ZONE, "review_note" text, "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_assessments" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_assessments_patient" ON "assessments"  ("patient_id", "instrument", "administered_at") ');
    await queryRunner.query(
      'CREATE TABLE "observation_checks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "session_id" uuid NOT NULL, "checked_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "dissociation" text NOT NULL, "cadss6_total" smallint, "nausea" text, "oriented" boolean, "gait" text, "note" text, "recorded_by" uuid NOT NULL, CONSTRAINT "ck_observation_checks_dissociation" CHECK ("dissociation" IN (\'resolved\', \'present\')), CONSTRAINT "pk_observation_checks" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_observation_checks_session" ON "observation_checks"  ("session_id", "checked_at") ');
    await queryRunner.query(
      'CREATE TABLE "adverse_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "session_id" uuid NOT NULL, "kind" text NOT NULL, "severity" text NOT NULL, "onset_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "action_taken" text NOT NULL, "outcome" text NOT NULL, "rems_reportable" boolean NOT NULL, "recorded_by" uuid NOT NULL, "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_adverse_events_severity" CHECK ("severity" IN (\'mild\', \'moderate\', \'severe\', \'life-threatening\')), CONSTRAINT "pk_adverse_events" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_adverse_events_session" ON "adverse_events"  ("session_id", "onset_at") ');
    await queryRunner.query(
      'CREATE TABLE "vitals_attestations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "session_id" uuid NOT NULL, "reading_id" uuid NOT NULL, "reason" text NOT NULL, "attested_by" uuid NOT NULL, "attested_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_vitals_attestations" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_vitals_attestations_session" ON "vitals_attestations"  ("session_id", "attested_at") ');
    await queryRunner.query(
      'CREATE TABLE "discharges" ("session_id" uuid NOT NULL, "clinic_id" uuid NOT NULL, "discharged_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "discharged_by" uuid NOT NULL, "total_min" integer NOT NULL, "checklist" jsonb NOT NULL, "instructions" text array NOT NULL, "vitals_attestation_id" uuid, "rems_form" jsonb, CONSTRAINT "pk_discharges" PRIMARY KEY ("session_id"))',
    );
    await queryRunner.query('ALTER TABLE "alert_events" ADD "session_id" uuid');
    await queryRunner.query('ALTER TABLE "session_events" DROP CONSTRAINT "fk_session_events_actor"');
    await queryRunner.query('ALTER TABLE "session_events" ALTER COLUMN "actor_user_id" DROP NOT NULL');
    await queryRunner.query('ALTER TABLE "alert_events" DROP CONSTRAINT "fk_alert_events_alert"');
    await queryRunner.query('ALTER TABLE "alert_events" ALTER COLUMN "alert_id" DROP NOT NULL');
    await queryRunner.query(
      'ALTER TABLE "session_events" ADD CONSTRAINT "fk_session_events_actor" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_events" ADD CONSTRAINT "fk_alert_events_alert" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "assessments" ADD CONSTRAINT "fk_assessments_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "assessments" ADD CONSTRAINT "fk_assessments_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "observation_checks" ADD CONSTRAINT "fk_observation_checks_session" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "observation_checks" ADD CONSTRAINT "fk_observation_checks_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "adverse_events" ADD CONSTRAINT "fk_adverse_events_session" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "adverse_events" ADD CONSTRAINT "fk_adverse_events_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "vitals_attestations" ADD CONSTRAINT "fk_vitals_attestations_session" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "vitals_attestations" ADD CONSTRAINT "fk_vitals_attestations_by" FOREIGN KEY ("attested_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "discharges" ADD CONSTRAINT "fk_discharges_session" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "discharges" ADD CONSTRAINT "fk_discharges_by" FOREIGN KEY ("discharged_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "discharges" DROP CONSTRAINT "fk_discharges_by"');
    await queryRunner.query('ALTER TABLE "discharges" DROP CONSTRAINT "fk_discharges_session"');
    await queryRunner.query('ALTER TABLE "vitals_attestations" DROP CONSTRAINT "fk_vitals_attestations_by"');
    await queryRunner.query('ALTER TABLE "vitals_attestations" DROP CONSTRAINT "fk_vitals_attestations_session"');
    await queryRunner.query('ALTER TABLE "adverse_events" DROP CONSTRAINT "fk_adverse_events_recorded_by"');
    await queryRunner.query('ALTER TABLE "adverse_events" DROP CONSTRAINT "fk_adverse_events_session"');
    await queryRunner.query('ALTER TABLE "observation_checks" DROP CONSTRAINT "fk_observation_checks_recorded_by"');
    await queryRunner.query('ALTER TABLE "observation_checks" DROP CONSTRAINT "fk_observation_checks_session"');
    await queryRunner.query('ALTER TABLE "assessments" DROP CONSTRAINT "fk_assessments_recorded_by"');
    await queryRunner.query('ALTER TABLE "assessments" DROP CONSTRAINT "fk_assessments_patient"');
    await queryRunner.query('ALTER TABLE "alert_events" DROP CONSTRAINT "fk_alert_events_alert"');
    await queryRunner.query('ALTER TABLE "session_events" DROP CONSTRAINT "fk_session_events_actor"');
    await queryRunner.query('ALTER TABLE "alert_events" ALTER COLUMN "alert_id" SET NOT NULL');
    await queryRunner.query(
      'ALTER TABLE "alert_events" ADD CONSTRAINT "fk_alert_events_alert" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query('ALTER TABLE "session_events" ALTER COLUMN "actor_user_id" SET NOT NULL');
    await queryRunner.query(
      'ALTER TABLE "session_events" ADD CONSTRAINT "fk_session_events_actor" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query('ALTER TABLE "alert_events" DROP COLUMN "session_id"');
    await queryRunner.query('DROP TABLE "discharges"');
    await queryRunner.query('DROP INDEX "public"."ix_vitals_attestations_session"');
    await queryRunner.query('DROP TABLE "vitals_attestations"');
    await queryRunner.query('DROP INDEX "public"."ix_adverse_events_session"');
    await queryRunner.query('DROP TABLE "adverse_events"');
    await queryRunner.query('DROP INDEX "public"."ix_observation_checks_session"');
    await queryRunner.query('DROP TABLE "observation_checks"');
    await queryRunner.query('DROP INDEX "public"."ix_assessments_patient"');
    await queryRunner.query('DROP TABLE "assessments"');
  }
}
