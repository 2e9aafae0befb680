import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dose each session delivered, reconciled at the end of dosing or its abort: `delivered_dose_mg`
 * is the figure of record the controlled-substance ledger reads; the computed figure and the volume
 * measured left in the bag stand beside it. Sessions dosed before this stay null.
 */
export class DeliveredDose1795965695066 implements MigrationInterface {
  name = 'DeliveredDose1795965695066';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sessions" ADD "delivered_dose_mg" numeric(7,1)');
    await queryRunner.query('ALTER TABLE "sessions" ADD "computed_dose_mg" numeric(7,1)');
    await queryRunner.query('ALTER TABLE "sessions" ADD "bag_remaining_ml" numeric(7,1)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sessions" DROP COLUMN "bag_remaining_ml"');
    await queryRunner.query('ALTER TABLE "sessions" DROP COLUMN "computed_dose_mg"');
    await queryRunner.query('ALTER TABLE "sessions" DROP COLUMN "delivered_dose_mg"');
  }
}
