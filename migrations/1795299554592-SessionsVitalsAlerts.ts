import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SessionsVitalsAlerts1795299554592 implements MigrationInterface {
  name = 'SessionsVitalsAlerts1795299554592';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "idempotency_keys" ("clinic_id" uuid NOT NULL, "key" text NOT NULL, "fingerprint" text NOT NULL, "user_id" uuid NOT NULL, "response" jsonb NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("clinic_id", "key"))',
    );
    await queryRunner.query('CREATE INDEX "ix_idempotency_keys_created" ON "idempotency_keys"  ("created_at") ');
    await queryRunner.query(
      'CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "protocol_key" text NOT NULL, "protocol_version_id" uuid NOT NULL, "appointment_id" uuid, "status" text NOT NULL, "nurse_user_id" uuid, "anesthesiologist_user_id" uuid, "chair_label" text, "pre_checks" jsonb, "start_overrides" jsonb NOT NULL DEFAULT \'[]\', "baseline_reading_id" uuid, "dose_mg_per_kg" numeric(6,3), "ordered_dose_mg" numeric(8,3), "dose_mg" numeric(7,1), "weight_kg" numeric(7,3), "concentration_mg_per_ml" numeric(7,3), "rate_mg_per_h" numeric(8,1), "rate_ml_per_h" numeric(8,1), "duration_min" integer, "devices" integer, "checked_in_at" TIMESTAMP(3) WITH TIME ZONE, "dosing_started_at" TIMESTAMP(3) WITH TIME ZONE, "dosing_ended_at" TIMESTAMP(3) WITH TIME ZONE, "observation_from" TIMESTAMP(3) WITH TIME ZONE, "ended_at" TIMESTAMP(3) WITH TIME ZONE, "end_reason" text, "last_event_at" TIMESTAMP(3) WITH TIME ZONE, "last_reading_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "ck_sessions_status" CHECK ("status" IN (\'scheduled\', \'checked_in\', \'ready\', \'dosing\', \'paused\', \'observation\', \'aborted\', \'discharged\', \'cancelled\', \'no_show\')), CONSTRAINT "pk_sessions" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_sessions_patient" ON "sessions"  ("patient_id", "created_at") ');
    await queryRunner.query('CREATE INDEX "ix_sessions_clinic_status" ON "sessions"  ("clinic_id", "status", "created_at") ');
    await queryRunner.query(
      'CREATE TABLE "session_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "session_id" uuid NOT NULL, "type" text NOT NULL, "from_status" text, "to_status" text, "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "actor_user_id" uuid NOT NULL, "data" jsonb, "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_session_events" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_session_events_session" ON "session_events"  ("session_id", "occurred_at") ');
    await queryRunner.query(
      'CREATE TABLE "dose_administrations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "session_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "drug" text NOT NULL, "route" text NOT NULL, "dose_mg" numeric(7,1) NOT NULL, "lot_number" text NOT NULL, "administered_by" uuid NOT NULL, "administered_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_dose_administrations" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_dose_administrations_clinic" ON "dose_administrations"  ("clinic_id", "administered_at") ');
    await queryRunner.query('CREATE INDEX "ix_dose_administrations_session" ON "dose_administrations"  ("session_id") ');
    await queryRunner.query(
      'CREATE TABLE "alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "session_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "measure" text NOT NULL, "level" text NOT NULL, "status" text NOT NULL, "message" text NOT NULL, "reading_count" integer NOT NULL DEFAULT \'0\', "last_reading_id" uuid, "opened_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "opened_by" uuid, "acknowledged_at" TIMESTAMP(3) WITH TIME ZONE, "acknowledged_by" uuid, "resolved_at" TIMESTAMP(3) WITH TIME ZONE, "resolved_by" uuid, "resolution_note" text, "escalation_level" smallint NOT NULL DEFAULT \'0\', "escalated_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "ck_alerts_level" CHECK ("level" IN (\'warning\', \'critical\')), CONSTRAINT "ck_alerts_status" CHECK ("status" IN (\'open\', \'acknowledged\', \'resolved\')), CONSTRAINT "pk_alerts" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_alerts_session" ON "alerts"  ("session_id", "opened_at") ');
    await queryRunner.query('CREATE INDEX "ix_alerts_clinic_status" ON "alerts"  ("clinic_id", "status", "opened_at") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_alerts_unresolved" ON "alerts"  ("session_id", "measure", "level") WHERE "status" <> \'resolved\'',
    );
    await queryRunner.query(
      'CREATE TABLE "alert_readings" ("alert_id" uuid NOT NULL, "reading_id" uuid NOT NULL, CONSTRAINT "pk_alert_readings" PRIMARY KEY ("alert_id", "reading_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "alert_events" ("id" BIGSERIAL NOT NULL, "clinic_id" uuid NOT NULL, "alert_id" uuid NOT NULL, "type" text NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_alert_events" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_alert_events_clinic" ON "alert_events"  ("clinic_id", "id") ');
    await queryRunner.query(
      'CREATE TABLE "patient_thresholds" ("patient_id" uuid NOT NULL, "clinic_id" uuid NOT NULL, "thresholds" jsonb NOT NULL, "reason" text NOT NULL, "updated_by" uuid NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "pk_patient_thresholds" PRIMARY KEY ("patient_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "vital_readings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "session_id" uuid NOT NULL, "measured_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "source" text NOT NULL, "device_id" text, "phase" text NOT NULL, "systolic" smallint, "diastolic" smallint, "heart_rate" smallint, "spo2" smallint, "respiratory_rate" smallint, "temperature_c" numeric(4,1), "moaas" smallint, "breach_level" text NOT NULL DEFAULT \'none\', "breaches" jsonb NOT NULL DEFAULT \'[]\', "recorded_by" uuid NOT NULL, "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_vital_readings_bp" CHECK ("systolic" IS NULL OR "diastolic" IS NULL OR "systolic" > "diastolic"), CONSTRAINT "ck_vital_readings_source" CHECK ("source" IN (\'manual\', \'device\')), CONSTRAINT "pk_vital_readings" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_vital_readings_device" ON "vital_readings"  ("session_id", "device_id", "measured_at") WHERE "device_id" IS NOT NULL',
    );
    await queryRunner.query('CREATE INDEX "ix_vital_readings_session" ON "vital_readings"  ("session_id", "measured_at") ');
    await queryRunner.query(
      'ALTER TABLE "sessions" ADD CONSTRAINT "fk_sessions_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "sessions" ADD CONSTRAINT "fk_sessions_protocol_version" FOREIGN KEY ("protocol_version_id") REFERENCES "protocol_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "sessions" ADD CONSTRAINT "fk_sessions_nurse" FOREIGN KEY ("nurse_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "sessions" ADD CONSTRAINT "fk_sessions_anesthesiologist" FOREIGN KEY ("anesthesiologist_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "session_events" ADD CONSTRAINT "fk_session_events_session" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "session_events" ADD CONSTRAINT "fk_session_events_actor" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "dose_administrations" ADD CONSTRAINT "fk_dose_administrations_session" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "dose_administrations" ADD CONSTRAINT "fk_dose_administrations_by" FOREIGN KEY ("administered_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alerts" ADD CONSTRAINT "fk_alerts_session" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alerts" ADD CONSTRAINT "fk_alerts_acknowledged_by" FOREIGN KEY ("acknowledged_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alerts" ADD CONSTRAINT "fk_alerts_resolved_by" FOREIGN KEY ("resolved_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_readings" ADD CONSTRAINT "fk_alert_readings_alert" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_events" ADD CONSTRAINT "fk_alert_events_alert" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_thresholds" ADD CONSTRAINT "fk_patient_thresholds_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "vital_readings" ADD CONSTRAINT "fk_vital_readings_session" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "vital_readings" ADD CONSTRAINT "fk_vital_readings_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    // Hand-written: the controlled-substance log, readings and the alert stream are append-only.
    await queryRunner.query(`
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '%: rows are append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    for (const table of ['dose_administrations', 'vital_readings', 'alert_events']) {
      await queryRunner.query(
        `CREATE TRIGGER tr_${table}_append_only BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['dose_administrations', 'vital_readings', 'alert_events']) {
      await queryRunner.query(`DROP TRIGGER tr_${table}_append_only ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION refuse_change()`);
    await queryRunner.query('ALTER TABLE "vital_readings" DROP CONSTRAINT "fk_vital_readings_recorded_by"');
    await queryRunner.query('ALTER TABLE "vital_readings" DROP CONSTRAINT "fk_vital_readings_session"');
    await queryRunner.query('ALTER TABLE "patient_thresholds" DROP CONSTRAINT "fk_patient_thresholds_patient"');
    await queryRunner.query('ALTER TABLE "alert_events" DROP CONSTRAINT "fk_alert_events_alert"');
    await queryRunner.query('ALTER TABLE "alert_readings" DROP CONSTRAINT "fk_alert_readings_alert"');
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "fk_alerts_resolved_by"');
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "fk_alerts_acknowledged_by"');
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "fk_alerts_session"');
    await queryRunner.query('ALTER TABLE "dose_administrations" DROP CONSTRAINT "fk_dose_administrations_by"');
    await queryRunner.query('ALTER TABLE "dose_administrations" DROP CONSTRAINT "fk_dose_administrations_session"');
    await queryRunner.query('ALTER TABLE "session_events" DROP CONSTRAINT "fk_session_events_actor"');
    await queryRunner.query('ALTER TABLE "session_events" DROP CONSTRAINT "fk_session_events_session"');
    await queryRunner.query('ALTER TABLE "sessions" DROP CONSTRAINT "fk_sessions_anesthesiologist"');
    await queryRunner.query('ALTER TABLE "sessions" DROP CONSTRAINT "fk_sessions_nurse"');
    await queryRunner.query('ALTER TABLE "sessions" DROP CONSTRAINT "fk_sessions_protocol_version"');
    await queryRunner.query('ALTER TABLE "sessions" DROP CONSTRAINT "fk_sessions_patient"');
    await queryRunner.query('DROP INDEX "public"."ix_vital_readings_session"');
    await queryRunner.query('DROP INDEX "public"."ux_vital_readings_device"');
    await queryRunner.query('DROP TABLE "vital_readings"');
    await queryRunner.query('DROP TABLE "patient_thresholds"');
    await queryRunner.query('DROP INDEX "public"."ix_alert_events_clinic"');
    await queryRunner.query('DROP TABLE "alert_events"');
    await queryRunner.query('DROP TABLE "alert_readings"');
    await queryRunner.query('DROP INDEX "public"."ux_alerts_unresolved"');
    await queryRunner.query('DROP INDEX "public"."ix_alerts_clinic_status"');
    await queryRunner.query('DROP INDEX "public"."ix_alerts_session"');
    await queryRunner.query('DROP TABLE "alerts"');
    await queryRunner.query('DROP INDEX "public"."ix_dose_administrations_session"');
    await queryRunner.query('DROP INDEX "public"."ix_dose_administrations_clinic"');
    await queryRunner.query('DROP TABLE "dose_administrations"');
    await queryRunner.query('DROP INDEX "public"."ix_session_events_session"');
    await queryRunner.query('DROP TABLE "session_events"');
    await queryRunner.query('DROP INDEX "public"."ix_sessions_clinic_status"');
    await queryRunner.query('DROP INDEX "public"."ix_sessions_patient"');
    await queryRunner.query('DROP TABLE "sessions"');
    await queryRunner.query('DROP INDEX "public"."ix_idempotency_keys_created"');
    await queryRunner.query('DROP TABLE "idempotency_keys"');
  }
}
