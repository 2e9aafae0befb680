import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monitor feed (HL7 v2 over MLLP): its senders, the raw message log, the readings no session
 * took; a reading a monitor charts on its own has no user behind it (recorded_by null, device only).
 */
export class Hl7Feed1796599773863 implements MigrationInterface {
  name = 'Hl7Feed1796599773863';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "hl7_gateways" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "sending_application" text NOT NULL, "sending_facility" text NOT NULL, "clinic_id" uuid, "time_zone" text, "processing_ids" text array NOT NULL DEFAULT \'{P}\', "first_seen_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "last_peer" text, CONSTRAINT "pk_hl7_gateways" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "ux_hl7_gateways_sender" ON "hl7_gateways"  ("sending_application", "sending_facility") ');
    await queryRunner.query(
      'CREATE TABLE "hl7_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "gateway_id" uuid, "clinic_id" uuid, "peer" text NOT NULL, "control_id" text, "message_time" TIMESTAMP(3) WITH TIME ZONE, "raw" bytea NOT NULL, "ack_code" text, "ack" text, "outcome" text NOT NULL, "duplicate_of" uuid, "detail" jsonb NOT NULL DEFAULT \'{}\', CONSTRAINT "ck_hl7_messages_outcome" CHECK ("outcome" IN (\'accepted\', \'duplicate\', \'refused\', \'rejected\', \'unreadable\')), CONSTRAINT "ck_hl7_messages_ack" CHECK ("ack_code" IS NULL OR "ack_code" IN (\'AA\', \'AE\', \'AR\')), CONSTRAINT "pk_hl7_messages" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_hl7_messages_received" ON "hl7_messages"  ("received_at") ');
    await queryRunner.query('CREATE INDEX "ix_hl7_messages_clinic" ON "hl7_messages"  ("clinic_id", "received_at") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_hl7_messages_control" ON "hl7_messages"  ("gateway_id", "control_id") WHERE "duplicate_of" IS NULL AND "ack_code" IN (\'AA\', \'AE\') AND "control_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "unbound_readings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "clinic_id" uuid, "message_id" uuid NOT NULL, "monitor_id" uuid, "chair_id" uuid, "device_id" text NOT NULL, "location" text, "patient_mrn" text, "measured_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "zone_assumed" boolean NOT NULL DEFAULT false, "values" jsonb NOT NULL, "reason" text NOT NULL, "status" text NOT NULL DEFAULT \'open\', "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "ck_unbound_readings_status" CHECK ("status" IN (\'open\', \'attached\', \'discarded\')), CONSTRAINT "ck_unbound_readings_reason" CHECK ("reason" IN (\'unknown-device\', \'no-session\', \'session-ended\', \'patient-mismatch\')), CONSTRAINT "pk_unbound_readings" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_unbound_readings_clinic" ON "unbound_readings"  ("clinic_id", "status", "measured_at") ');
    await queryRunner.query('CREATE UNIQUE INDEX "ux_unbound_readings_device" ON "unbound_readings"  ("device_id", "measured_at") ');
    await queryRunner.query('ALTER TABLE "vital_readings" ALTER COLUMN "recorded_by" DROP NOT NULL');
    await queryRunner.query(
      'ALTER TABLE "vital_readings" ADD CONSTRAINT "ck_vital_readings_recorder" CHECK ("recorded_by" IS NOT NULL OR "source" = \'device\')',
    );
    await queryRunner.query(
      'ALTER TABLE "hl7_gateways" ADD CONSTRAINT "fk_hl7_gateways_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "hl7_messages" ADD CONSTRAINT "fk_hl7_messages_gateway" FOREIGN KEY ("gateway_id") REFERENCES "hl7_gateways"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "hl7_messages" ADD CONSTRAINT "fk_hl7_messages_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "hl7_messages" ADD CONSTRAINT "fk_hl7_messages_duplicate_of" FOREIGN KEY ("duplicate_of") REFERENCES "hl7_messages"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "unbound_readings" ADD CONSTRAINT "fk_unbound_readings_clinic" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "unbound_readings" ADD CONSTRAINT "fk_unbound_readings_message" FOREIGN KEY ("message_id") REFERENCES "hl7_messages"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "unbound_readings" ADD CONSTRAINT "fk_unbound_readings_monitor" FOREIGN KEY ("monitor_id") REFERENCES "monitors"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "unbound_readings" ADD CONSTRAINT "fk_unbound_readings_chair" FOREIGN KEY ("chair_id") REFERENCES "chairs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "device_code_maps" ADD CONSTRAINT "fk_device_code_maps_gateway" FOREIGN KEY ("gateway_id") REFERENCES "hl7_gateways"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "device_unit_maps" ADD CONSTRAINT "fk_device_unit_maps_gateway" FOREIGN KEY ("gateway_id") REFERENCES "hl7_gateways"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "device_unit_maps" DROP CONSTRAINT "fk_device_unit_maps_gateway"');
    await queryRunner.query('ALTER TABLE "device_code_maps" DROP CONSTRAINT "fk_device_code_maps_gateway"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP CONSTRAINT "fk_unbound_readings_chair"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP CONSTRAINT "fk_unbound_readings_monitor"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP CONSTRAINT "fk_unbound_readings_message"');
    await queryRunner.query('ALTER TABLE "unbound_readings" DROP CONSTRAINT "fk_unbound_readings_clinic"');
    await queryRunner.query('ALTER TABLE "hl7_messages" DROP CONSTRAINT "fk_hl7_messages_duplicate_of"');
    await queryRunner.query('ALTER TABLE "hl7_messages" DROP CONSTRAINT "fk_hl7_messages_clinic"');
    await queryRunner.query('ALTER TABLE "hl7_messages" DROP CONSTRAINT "fk_hl7_messages_gateway"');
    await queryRunner.query('ALTER TABLE "hl7_gateways" DROP CONSTRAINT "fk_hl7_gateways_clinic"');
    await queryRunner.query('ALTER TABLE "vital_readings" DROP CONSTRAINT "ck_vital_readings_recorder"');
    await queryRunner.query('ALTER TABLE "vital_readings" ALTER COLUMN "recorded_by" SET NOT NULL');
    await queryRunner.query('DROP INDEX "public"."ux_unbound_readings_device"');
    await queryRunner.query('DROP INDEX "public"."ix_unbound_readings_clinic"');
    await queryRunner.query('DROP TABLE "unbound_readings"');
    await queryRunner.query('DROP INDEX "public"."ux_hl7_messages_control"');
    await queryRunner.query('DROP INDEX "public"."ix_hl7_messages_clinic"');
    await queryRunner.query('DROP INDEX "public"."ix_hl7_messages_received"');
    await queryRunner.query('DROP TABLE "hl7_messages"');
    await queryRunner.query('DROP INDEX "public"."ux_hl7_gateways_sender"');
    await queryRunner.query('DROP TABLE "hl7_gateways"');
  }
}
