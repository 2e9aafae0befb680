import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The clinic's profile (name, time zone) is edited by administrators with the version they read. */
export class ClinicProfileVersion1796598553417 implements MigrationInterface {
  name = 'ClinicProfileVersion1796598553417';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinics" ADD "version" integer NOT NULL DEFAULT \'1\'');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clinics" DROP COLUMN "version"');
  }
}
