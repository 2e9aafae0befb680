import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How monitor gateways' observation codes and units map to reading fields (seeded by SeedDeviceCodeMaps). */
export class DeviceCodeMaps1796598482910 implements MigrationInterface {
  name = 'DeviceCodeMaps1796598482910';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "device_code_maps" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "gateway_id" uuid, "system" text NOT NULL, "code" text NOT NULL, "refid" text, "field" text, "unit" text, "priority" smallint NOT NULL DEFAULT \'100\', "source" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_device_code_maps_unit" CHECK ("field" IS NULL OR "unit" IS NOT NULL), CONSTRAINT "ck_device_code_maps_field" CHECK ("field" IS NULL OR "field" IN (\'systolic\', \'diastolic\', \'heartRate\', \'spo2\', \'respiratoryRate\', \'temperatureC\')), CONSTRAINT "pk_device_code_maps" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_device_code_maps_gateway" ON "device_code_maps"  ("gateway_id", "system", "code") WHERE "gateway_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_device_code_maps_default" ON "device_code_maps"  ("system", "code") WHERE "gateway_id" IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "device_unit_maps" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "gateway_id" uuid, "unit" text NOT NULL, "to_unit" text NOT NULL, "factor" double precision NOT NULL DEFAULT \'1\', "addend" double precision NOT NULL DEFAULT \'0\', "source" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_device_unit_maps" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_device_unit_maps_gateway" ON "device_unit_maps"  ("gateway_id", "unit", "to_unit") WHERE "gateway_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_device_unit_maps_default" ON "device_unit_maps"  ("unit", "to_unit") WHERE "gateway_id" IS NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ux_device_unit_maps_default"');
    await queryRunner.query('DROP INDEX "public"."ux_device_unit_maps_gateway"');
    await queryRunner.query('DROP TABLE "device_unit_maps"');
    await queryRunner.query('DROP INDEX "public"."ux_device_code_maps_default"');
    await queryRunner.query('DROP INDEX "public"."ux_device_code_maps_gateway"');
    await queryRunner.query('DROP TABLE "device_code_maps"');
  }
}
