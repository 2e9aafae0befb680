import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PatientsConsentProtocols1795297639860 implements MigrationInterface {
  name = 'PatientsConsentProtocols1795297639860';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "consent_forms" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "kind" text NOT NULL, "version" integer NOT NULL, "title" text NOT NULL, "body" text NOT NULL, "required_for_protocols" text array NOT NULL DEFAULT \'{}\', "valid_months" integer NOT NULL, "requires_reconsent" boolean NOT NULL DEFAULT false, "published_at" TIMESTAMP(3) WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_consent_forms_valid_months" CHECK ("valid_months" BETWEEN 1 AND 120), CONSTRAINT "ck_consent_forms_kind" CHECK ("kind" IN (\'ketamine-off-label\', \'esketamine-rems-enrollment\', \'general-procedure\')), CONSTRAINT "pk_consent_forms" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ux_consent_forms_version" ON "consent_forms"  ("clinic_id", "kind", "version") ');
    await queryRunner.query(
      'CREATE TABLE "patients" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "mrn" text NOT NULL, "first_name" text NOT NULL, "last_name" text NOT NULL, "date_of_birth" date NOT NULL, "sex" text NOT NULL DEFAULT \'unknown\', "phone" text, "email" text, "address" text, "emergency_contact_name" text, "emergency_contact_phone" text, "emergency_contact_relationship" text, "height_cm" numeric(5,1), "search_text" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "ck_patients_sex" CHECK ("sex" IN (\'female\', \'male\', \'other\', \'unknown\')), CONSTRAINT "pk_patients" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_patients_birth_date" ON "patients"  ("clinic_id", "date_of_birth") ');
    await queryRunner.query('CREATE INDEX "ix_patients_clinic" ON "patients"  ("clinic_id", "created_at") ');
    await queryRunner.query('CREATE UNIQUE INDEX "ux_patients_mrn" ON "patients"  ("clinic_id", "mrn") ');
    await queryRunner.query(
      'CREATE TABLE "patient_consents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "form_id" uuid NOT NULL, "kind" text NOT NULL, "form_version" integer NOT NULL, "signed_by_name" text NOT NULL, "signed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "method" text NOT NULL, "witness_user_id" uuid NOT NULL, "prescriber_user_id" uuid, "prescriber_signed_at" TIMESTAMP(3) WITH TIME ZONE, "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "recorded_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "withdrawn_at" TIMESTAMP(3) WITH TIME ZONE, "withdrawn_by" uuid, "withdrawal_reason" text, CONSTRAINT "ck_patient_consents_expiry" CHECK ("expires_at" > "signed_at"), CONSTRAINT "ck_patient_consents_method" CHECK ("method" IN (\'in-person\', \'electronic\')), CONSTRAINT "pk_patient_consents" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_patient_consents_patient" ON "patient_consents"  ("patient_id", "kind", "signed_at") ');
    await queryRunner.query(
      'CREATE TABLE "follow_ups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "kind" text NOT NULL, "subject_type" text, "subject_id" uuid, "title" text NOT NULL, "due_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "status" text NOT NULL, "assignee_role" text NOT NULL, "result_note" text, "completed_by" uuid, "completed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_follow_ups_role" CHECK ("assignee_role" IN (\'nurse\', \'anesthesiologist\', \'admin\')), CONSTRAINT "ck_follow_ups_status" CHECK ("status" IN (\'pending\', \'due\', \'done\', \'cancelled\')), CONSTRAINT "pk_follow_ups" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_follow_ups_patient" ON "follow_ups"  ("patient_id", "due_at") ');
    await queryRunner.query('CREATE INDEX "ix_follow_ups_clinic_due" ON "follow_ups"  ("clinic_id", "status", "due_at") ');
    await queryRunner.query(
      'CREATE TABLE "screening_answers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "item" text NOT NULL, "present" boolean NOT NULL, "note" text, "recorded_by" uuid NOT NULL, "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "superseded_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_screening_answers" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_screening_answers_current" ON "screening_answers"  ("patient_id", "item") WHERE "superseded_at" IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "patient_allergies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "substance" text NOT NULL, "reaction" text, "recorded_by" uuid NOT NULL, "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "removed_at" TIMESTAMP WITH TIME ZONE, "removed_by" uuid, CONSTRAINT "pk_patient_allergies" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_patient_allergies_patient" ON "patient_allergies"  ("patient_id") WHERE "removed_at" IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "patient_medications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "name" text NOT NULL, "drug_class" text NOT NULL, "dose" text, "recorded_by" uuid NOT NULL, "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "removed_at" TIMESTAMP WITH TIME ZONE, "removed_by" uuid, CONSTRAINT "pk_patient_medications" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_patient_medications_patient" ON "patient_medications"  ("patient_id") WHERE "removed_at" IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "caution_acknowledgements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "items" text array NOT NULL, "note" text NOT NULL, "acknowledged_by" uuid NOT NULL, "acknowledged_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_caution_acknowledgements" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_caution_acknowledgements_patient" ON "caution_acknowledgements"  ("patient_id", "acknowledged_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "patient_weights" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "weight_kg" numeric(7,3) NOT NULL, "entered_value" numeric(7,2) NOT NULL, "entered_unit" text NOT NULL, "measured_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "recorded_by" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_patient_weights_kg" CHECK ("weight_kg" > 0), CONSTRAINT "ck_patient_weights_unit" CHECK ("entered_unit" IN (\'kg\', \'lb\')), CONSTRAINT "pk_patient_weights" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_patient_weights_patient" ON "patient_weights"  ("patient_id", "measured_at") ');
    await queryRunner.query(
      'CREATE TABLE "protocol_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid, "key" text NOT NULL, "version" integer NOT NULL, "name" text NOT NULL, "route" text NOT NULL, "dose_rule" jsonb NOT NULL, "dose_limits" jsonb, "duration_min" integer, "min_observation_min" integer NOT NULL, "observation_floor_min" integer, "observation_from" text NOT NULL, "min_age_years" integer NOT NULL, "weight_max_age_days" integer NOT NULL, "vitals" jsonb NOT NULL, "pre_session" jsonb NOT NULL, "required_consent_kinds" text array NOT NULL, "absolute_contraindications" text array NOT NULL, "induction" jsonb NOT NULL, "maintenance" jsonb NOT NULL, "thresholds" jsonb NOT NULL, "sources" jsonb NOT NULL, "reason" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_protocol_versions_version" CHECK ("version" >= 1), CONSTRAINT "ck_protocol_versions_observation_from" CHECK ("observation_from" IN (\'dosing-end\', \'first-dose\')), CONSTRAINT "ck_protocol_versions_route" CHECK ("route" IN (\'iv\', \'im\', \'intranasal\')), CONSTRAINT "pk_protocol_versions" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_protocol_versions_clinic" ON "protocol_versions"  ("clinic_id", "key", "version") WHERE "clinic_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_protocol_versions_default" ON "protocol_versions"  ("key", "version") WHERE "clinic_id" IS NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "consent_forms" ADD CONSTRAINT "fk_consent_forms_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "consent_forms" ADD CONSTRAINT "fk_consent_forms_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patients" ADD CONSTRAINT "fk_patients_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_consents" ADD CONSTRAINT "fk_patient_consents_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_consents" ADD CONSTRAINT "fk_patient_consents_form" FOREIGN KEY ("form_id") REFERENCES "consent_forms"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_consents" ADD CONSTRAINT "fk_patient_consents_witness" FOREIGN KEY ("witness_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_consents" ADD CONSTRAINT "fk_patient_consents_prescriber" FOREIGN KEY ("prescriber_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_consents" ADD CONSTRAINT "fk_patient_consents_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_consents" ADD CONSTRAINT "fk_patient_consents_withdrawn_by" FOREIGN KEY ("withdrawn_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "follow_ups" ADD CONSTRAINT "fk_follow_ups_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "follow_ups" ADD CONSTRAINT "fk_follow_ups_completed_by" FOREIGN KEY ("completed_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "screening_answers" ADD CONSTRAINT "fk_screening_answers_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "screening_answers" ADD CONSTRAINT "fk_screening_answers_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_allergies" ADD CONSTRAINT "fk_patient_allergies_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_allergies" ADD CONSTRAINT "fk_patient_allergies_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_medications" ADD CONSTRAINT "fk_patient_medications_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_medications" ADD CONSTRAINT "fk_patient_medications_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "caution_acknowledgements" ADD CONSTRAINT "fk_caution_acknowledgements_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "caution_acknowledgements" ADD CONSTRAINT "fk_caution_acknowledgements_by" FOREIGN KEY ("acknowledged_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_weights" ADD CONSTRAINT "fk_patient_weights_patient" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "patient_weights" ADD CONSTRAINT "fk_patient_weights_recorded_by" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "protocol_versions" ADD CONSTRAINT "fk_protocol_versions_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "protocol_versions" ADD CONSTRAINT "fk_protocol_versions_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );

    // Hand-written: what TypeORM cannot express.
    // Case- and accent-insensitive patient search: trigram index on the folded search_text.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX "ix_patients_search" ON "patients" USING gin ("search_text" gin_trgm_ops)`);
    // Published consent forms and protocol versions are immutable; signatures change only to be withdrawn, once.
    await queryRunner.query(`
      CREATE FUNCTION consent_forms_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.published_at IS NOT NULL THEN
          RAISE EXCEPTION 'consent_forms: a published form version is immutable' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER tr_consent_forms_immutable BEFORE UPDATE OR DELETE ON "consent_forms" FOR EACH ROW EXECUTE FUNCTION consent_forms_immutable()`,
    );
    await queryRunner.query(`
      CREATE FUNCTION protocol_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'protocol_versions: a protocol version is immutable; write the next version' USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER tr_protocol_versions_immutable BEFORE UPDATE OR DELETE ON "protocol_versions" FOR EACH ROW EXECUTE FUNCTION protocol_versions_immutable()`,
    );
    await queryRunner.query(`
      CREATE FUNCTION patient_consents_withdraw_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR OLD.withdrawn_at IS NOT NULL
           OR (to_jsonb(NEW) - 'withdrawn_at' - 'withdrawn_by' - 'withdrawal_reason')
              IS DISTINCT FROM (to_jsonb(OLD) - 'withdrawn_at' - 'withdrawn_by' - 'withdrawal_reason') THEN
          RAISE EXCEPTION 'patient_consents: a signature is never changed or deleted, only withdrawn once' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER tr_patient_consents_withdraw_only BEFORE UPDATE OR DELETE ON "patient_consents" FOR EACH ROW EXECUTE FUNCTION patient_consents_withdraw_only()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tr_patient_consents_withdraw_only ON "patient_consents"`);
    await queryRunner.query(`DROP FUNCTION patient_consents_withdraw_only()`);
    await queryRunner.query(`DROP TRIGGER tr_protocol_versions_immutable ON "protocol_versions"`);
    await queryRunner.query(`DROP FUNCTION protocol_versions_immutable()`);
    await queryRunner.query(`DROP TRIGGER tr_consent_forms_immutable ON "consent_forms"`);
    await queryRunner.query(`DROP FUNCTION consent_forms_immutable()`);
    await queryRunner.query(`DROP INDEX "public"."ix_patients_search"`);
    await queryRunner.query('ALTER TABLE "protocol_versions" DROP CONSTRAINT "fk_protocol_versions_created_by"');
    await queryRunner.query('ALTER TABLE "protocol_versions" DROP CONSTRAINT "fk_protocol_versions_clinic"');
    await queryRunner.query('ALTER TABLE "patient_weights" DROP CONSTRAINT "fk_patient_weights_recorded_by"');
    await queryRunner.query('ALTER TABLE "patient_weights" DROP CONSTRAINT "fk_patient_weights_patient"');
    await queryRunner.query('ALTER TABLE "caution_acknowledgements" DROP CONSTRAINT "fk_caution_acknowledgements_by"');
    await queryRunner.query('ALTER TABLE "caution_acknowledgements" DROP CONSTRAINT "fk_caution_acknowledgements_patient"');
    await queryRunner.query('ALTER TABLE "patient_medications" DROP CONSTRAINT "fk_patient_medications_recorded_by"');
    await queryRunner.query('ALTER TABLE "patient_medications" DROP CONSTRAINT "fk_patient_medications_patient"');
    await queryRunner.query('ALTER TABLE "patient_allergies" DROP CONSTRAINT "fk_patient_allergies_recorded_by"');
    await queryRunner.query('ALTER TABLE "patient_allergies" DROP CONSTRAINT "fk_patient_allergies_patient"');
    await queryRunner.query('ALTER TABLE "screening_answers" DROP CONSTRAINT "fk_screening_answers_recorded_by"');
    await queryRunner.query('ALTER TABLE "screening_answers" DROP CONSTRAINT "fk_screening_answers_patient"');
    await queryRunner.query('ALTER TABLE "follow_ups" DROP CONSTRAINT "fk_follow_ups_completed_by"');
    await queryRunner.query('ALTER TABLE "follow_ups" DROP CONSTRAINT "fk_follow_ups_patient"');
    await queryRunner.query('ALTER TABLE "patient_consents" DROP CONSTRAINT "fk_patient_consents_withdrawn_by"');
    await queryRunner.query('ALTER TABLE "patient_consents" DROP CONSTRAINT "fk_patient_consents_recorded_by"');
    await queryRunner.query('ALTER TABLE "patient_consents" DROP CONSTRAINT "fk_patient_consents_prescriber"');
    await queryRunner.query('ALTER TABLE "patient_consents" DROP CONSTRAINT "fk_patient_consents_witness"');
    await queryRunner.query('ALTER TABLE "patient_consents" DROP CONSTRAINT "fk_patient_consents_form"');
    await queryRunner.query('ALTER TABLE "patient_consents" DROP CONSTRAINT "fk_patient_consents_patient"');
    await queryRunner.query('ALTER TABLE "patients" DROP CONSTRAINT "fk_patients_clinic"');
    await queryRunner.query('ALTER TABLE "consent_forms" DROP CONSTRAINT "fk_consent_forms_created_by"');
    await queryRunner.query('ALTER TABLE "consent_forms" DROP CONSTRAINT "fk_consent_forms_clinic"');
    await queryRunner.query('DROP INDEX "public"."ux_protocol_versions_default"');
    await queryRunner.query('DROP INDEX "public"."ux_protocol_versions_clinic"');
    await queryRunner.query('DROP TABLE "protocol_versions"');
    await queryRunner.query('DROP INDEX "public"."ix_patient_weights_patient"');
    await queryRunner.query('DROP TABLE "patient_weights"');
    await queryRunner.query('DROP INDEX "public"."ix_caution_acknowledgements_patient"');
    await queryRunner.query('DROP TABLE "caution_acknowledgements"');
    await queryRunner.query('DROP INDEX "public"."ix_patient_medications_patient"');
    await queryRunner.query('DROP TABLE "patient_medications"');
    await queryRunner.query('DROP INDEX "public"."ix_patient_allergies_patient"');
    await queryRunner.query('DROP TABLE "patient_allergies"');
    await queryRunner.query('DROP INDEX "public"."ux_screening_answers_current"');
    await queryRunner.query('DROP TABLE "screening_answers"');
    await queryRunner.query('DROP INDEX "public"."ix_follow_ups_clinic_due"');
    await queryRunner.query('DROP INDEX "public"."ix_follow_ups_patient"');
    await queryRunner.query('DROP TABLE "follow_ups"');
    await queryRunner.query('DROP INDEX "public"."ix_patient_consents_patient"');
    await queryRunner.query('DROP TABLE "patient_consents"');
    await queryRunner.query('DROP INDEX "public"."ux_patients_mrn"');
    await queryRunner.query('DROP INDEX "public"."ix_patients_clinic"');
    await queryRunner.query('DROP INDEX "public"."ix_patients_birth_date"');
    await queryRunner.query('DROP TABLE "patients"');
    await queryRunner.query('DROP INDEX "public"."ux_consent_forms_version"');
    await queryRunner.query('DROP TABLE "consent_forms"');
  }
}
