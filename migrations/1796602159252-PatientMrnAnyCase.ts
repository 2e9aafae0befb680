import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A patient's MRN is unique in its clinic whatever its case, in the database too: the unique index
 * is on (clinic_id, lower(mrn)), so two registrations racing with "abc1" and "ABC1" cannot both
 * pass. Patients already sharing an MRN that differs only in case stop the upgrade, named, for the
 * clinic to rename one of each pair first.
 */
export class PatientMrnAnyCase1796602159252 implements MigrationInterface {
  name = 'PatientMrnAnyCase1796602159252';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $$
      DECLARE clashes text;
      BEGIN
        SELECT string_agg(format('clinic %s: %s', clinic_id, mrns), '; ') INTO clashes
          FROM (SELECT clinic_id, string_agg(mrn, ', ' ORDER BY mrn) AS mrns FROM patients
                 GROUP BY clinic_id, lower(mrn) HAVING count(*) > 1) AS same;
        IF clashes IS NOT NULL THEN
          RAISE EXCEPTION 'patients share an MRN differing only in case (%); rename one of each before upgrading', clashes;
        END IF;
      END $$`);
    await queryRunner.query('DROP INDEX "public"."ux_patients_mrn"');
    await queryRunner.query('CREATE UNIQUE INDEX "ux_patients_mrn" ON "patients" ("clinic_id", lower("mrn"))');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ux_patients_mrn"');
    await queryRunner.query('CREATE UNIQUE INDEX "ux_patients_mrn" ON "patients" ("clinic_id", "mrn")');
  }
}
