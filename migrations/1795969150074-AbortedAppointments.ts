import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An appointment whose session's dosing was stopped early is `aborted`, not `completed`. */
export class AbortedAppointments1795969150074 implements MigrationInterface {
  name = 'AbortedAppointments1795969150074';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "appointments" DROP CONSTRAINT "ck_appointments_status"');
    await queryRunner.query(
      `ALTER TABLE "appointments" ADD CONSTRAINT "ck_appointments_status" CHECK ("status" IN ('booked', 'tentative', 'checked-in', 'completed', 'aborted', 'cancelled', 'no-show'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "appointments" SET "status" = 'completed' WHERE "status" = 'aborted'`);
    await queryRunner.query('ALTER TABLE "appointments" DROP CONSTRAINT "ck_appointments_status"');
    await queryRunner.query(
      `ALTER TABLE "appointments" ADD CONSTRAINT "ck_appointments_status" CHECK ("status" IN ('booked', 'tentative', 'checked-in', 'completed', 'cancelled', 'no-show'))`,
    );
  }
}
