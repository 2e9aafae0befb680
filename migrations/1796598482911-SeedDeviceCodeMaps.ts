import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data migration (the schema is in DeviceCodeMaps): Vigil's default mapping of the IEEE 11073-10101
 * (MDC) codes and units bedside monitor gateways send in IHE PCD-01 messages, shared by every
 * gateway until one is given rows of its own. Context-free code = partition × 65536 + term code
 * (SCADA partition 2, dimensions partition 4; e.g. MDC_PRESS_BLD_NONINV_SYS, term 18949 → 150021),
 * per IEEE 11073-10101 and the GE CARESCAPE B40 HL7 reference manual's OBX tables. A snapshot on
 * purpose: later changes ship as new rows.
 */
const MDC = 'IEEE 11073-10101';

/** [code, refid, field (null: known, not charted), unit, priority, seen in]; lower priority wins for one field at one time. */
export const MDC_CODES: ReadonlyArray<readonly [string, string, string | null, string, number, string]> = [
  ['150021', 'MDC_PRESS_BLD_NONINV_SYS', 'systolic', 'mm[Hg]', 10, 'GE, Continua, Comen, LinkWatch'],
  ['150022', 'MDC_PRESS_BLD_NONINV_DIA', 'diastolic', 'mm[Hg]', 10, 'GE, Continua, Comen, LinkWatch'],
  ['150023', 'MDC_PRESS_BLD_NONINV_MEAN', null, 'mm[Hg]', 10, 'GE, Continua, Comen, LinkWatch'],
  ['150301', 'MDC_PRESS_CUFF_SYS', 'systolic', 'mm[Hg]', 20, 'Mindray, Comen, personal health devices'],
  ['150302', 'MDC_PRESS_CUFF_DIA', 'diastolic', 'mm[Hg]', 20, 'Mindray, Comen, personal health devices'],
  ['150303', 'MDC_PRESS_CUFF_MEAN', null, 'mm[Hg]', 20, 'Mindray, Comen, personal health devices'],
  ['147842', 'MDC_ECG_HEART_RATE', 'heartRate', '/min', 10, 'GE, Mindray'],
  ['149530', 'MDC_PULS_OXIM_PULS_RATE', 'heartRate', '/min', 20, 'Mindray, Comen'],
  ['149546', 'MDC_PULS_RATE_NON_INV', 'heartRate', '/min', 30, 'Continua, Mindray (NIBP pulse rate)'],
  ['150456', 'MDC_PULS_OXIM_SAT_O2', 'spo2', '%', 10, 'every vendor'],
  ['151562', 'MDC_RESP_RATE', 'respiratoryRate', '/min', 10, 'Comen, Mindray'],
  ['151578', 'MDC_TTHOR_RESP_RATE', 'respiratoryRate', '/min', 20, 'impedance respiration'],
  ['150364', 'MDC_TEMP_BODY', 'temperatureC', 'Cel', 10, 'Comen, Mindray'],
  ['150344', 'MDC_TEMP', 'temperatureC', 'Cel', 20, 'generic temperature'],
  ['188496', 'MDC_TEMP_AXIL', 'temperatureC', 'Cel', 30, 'personal health devices'],
  ['150033', 'MDC_PRESS_BLD_ART_SYS', null, 'mm[Hg]', 10, 'GE (invasive; not used in the clinic)'],
  ['150034', 'MDC_PRESS_BLD_ART_DIA', null, 'mm[Hg]', 10, 'GE (invasive; not used in the clinic)'],
  ['150035', 'MDC_PRESS_BLD_ART_MEAN', null, 'mm[Hg]', 10, 'GE (invasive; not used in the clinic)'],
];

/** [unit as sent, UCUM unit, factor, addend, source]: value in the UCUM unit = sent × factor + addend. */
export const MDC_UNITS: ReadonlyArray<readonly [string, string, number, number, string]> = [
  ...['266016', 'MDC_DIM_MMHG', 'mm[Hg]', 'mmHg'].map((u) => [u, 'mm[Hg]', 1, 0, `${MDC} dimension 266016; UCUM`] as const),
  ...['264864', 'MDC_DIM_BEAT_PER_MIN', '/min', '{beats}/min', 'bpm'].map(
    (u) => [u, '/min', 1, 0, `${MDC} dimension 264864; UCUM`] as const,
  ),
  ...['264928', 'MDC_DIM_RESP_PER_MIN', '{breaths}/min', 'rpm'].map((u) => [u, '/min', 1, 0, `${MDC} dimension 264928; UCUM`] as const),
  ...['262688', 'MDC_DIM_PERCENT', '%'].map((u) => [u, '%', 1, 0, `${MDC} dimension 262688; UCUM`] as const),
  ...['268192', 'MDC_DIM_DEGC', 'Cel', 'degC', '°C'].map((u) => [u, 'Cel', 1, 0, `${MDC} dimension 268192; UCUM`] as const),
  // Fahrenheit: °C = (°F − 32) × 5/9. The MDC code 266560 is as gateways are reported to send it (to confirm on site).
  ...['266560', 'MDC_DIM_FAHR', '[degF]', 'degF', '°F'].map((u) => [u, 'Cel', 5 / 9, -160 / 9, `${MDC} dimension 266560; UCUM`] as const),
];

export class SeedDeviceCodeMaps1796598482911 implements MigrationInterface {
  name = 'SeedDeviceCodeMaps1796598482911';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [code, refid, field, unit, priority, seen] of MDC_CODES)
      await queryRunner.query(
        `INSERT INTO device_code_maps (gateway_id, system, code, refid, field, unit, priority, source) VALUES (NULL, 'MDC', $1, $2, $3, $4, $5, $6)`,
        [code, refid, field, unit, priority, `${MDC}; seen from ${seen}`],
      );
    for (const [unit, toUnit, factor, addend, source] of MDC_UNITS)
      await queryRunner.query(
        `INSERT INTO device_unit_maps (gateway_id, unit, to_unit, factor, addend, source) VALUES (NULL, $1, $2, $3, $4, $5)`,
        [unit, toUnit, factor, addend, source],
      );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM device_unit_maps WHERE gateway_id IS NULL');
    await queryRunner.query('DELETE FROM device_code_maps WHERE gateway_id IS NULL');
  }
}
