/**
 * GET /sessions/board with 30 active sessions while the history of stored readings grows:
 * the cost must not grow with history. `npm run bench:board` (BOARD_READINGS=100000,1000000 by default).
 */
import { load, median, staff, startStack, type Latency } from './support.js';

const SIZES = (process.env['BOARD_READINGS'] ?? '100000,1000000').split(',').map(Number);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const ACTIVE = 30;
const READINGS_PER_HISTORICAL_SESSION = 200;

async function main(): Promise<void> {
  const stack = await startStack();
  const ds = stack.runtime.dataSource;
  try {
    const { clinicId, userId, token } = await staff(stack, 'anesthesiologist');
    const [protocol] = await ds.query<{ id: string }[]>(
      `SELECT id FROM protocol_versions WHERE key = 'ketamine-iv-standard' AND clinic_id IS NULL`,
    );
    // 30 patients in the chairs now, each with an active session and 100 readings.
    await ds.query(
      `INSERT INTO patients (clinic_id, mrn, first_name, last_name, date_of_birth, search_text)
       SELECT $1, 'B-' || g, 'Pat', 'Bench ' || g, '1980-01-01', 'pat bench ' || g FROM generate_series(1, $2) g`,
      [clinicId, ACTIVE],
    );
    await ds.query(
      `INSERT INTO sessions (clinic_id, patient_id, protocol_key, protocol_version_id, status, checked_in_at, dosing_started_at, dose_mg, rate_ml_per_h)
       SELECT $1, p.id, 'ketamine-iv-standard', $2, 'dosing', now() - interval '30 minutes', now() - interval '20 minutes', 35, 52.5 FROM patients p WHERE p.clinic_id = $1`,
      [clinicId, protocol.id],
    );
    await ds.query(
      `INSERT INTO vital_readings (clinic_id, session_id, measured_at, source, phase, systolic, diastolic, heart_rate, spo2, moaas, recorded_by)
       SELECT $1, s.id, now() - (g || ' seconds')::interval, 'device', 'dosing', 120 + g % 30, 75 + g % 10, 70, 98, 5, $2
         FROM sessions s, generate_series(1, 100) g WHERE s.clinic_id = $1`,
      [clinicId, userId],
    );
    const rows: string[] = [
      '| stored readings | requests | errors | req/s | p50 ms | p90 ms | p97.5 ms | p99 ms |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ];
    let stored = ACTIVE * 100;
    for (const size of SIZES) {
      // History: discharged sessions with their readings, until `size` readings are stored.
      const missing = Math.max(0, size - stored);
      const sessions = Math.ceil(missing / READINGS_PER_HISTORICAL_SESSION);
      if (sessions > 0) {
        await ds.query(
          `WITH s AS (
             INSERT INTO sessions (clinic_id, patient_id, protocol_key, protocol_version_id, status, checked_in_at, ended_at)
             SELECT $1, (SELECT id FROM patients WHERE clinic_id = $1 LIMIT 1), 'ketamine-iv-standard', $2, 'discharged',
                    now() - (g || ' hours')::interval, now() - (g || ' hours')::interval + interval '2 hours'
               FROM generate_series(1, $3) g RETURNING id, checked_in_at)
           INSERT INTO vital_readings (clinic_id, session_id, measured_at, source, phase, systolic, diastolic, heart_rate, spo2, moaas, recorded_by)
           SELECT $1, s.id, s.checked_in_at + (r || ' seconds')::interval, 'device', 'observation', 125, 80, 72, 97, 5, $4
             FROM s, generate_series(1, $5) r`,
          [clinicId, protocol.id, sessions, userId, READINGS_PER_HISTORICAL_SESSION],
        );
        stored += sessions * READINGS_PER_HISTORICAL_SESSION;
      }
      await ds.query('ANALYZE');
      const runs: Latency[] = [];
      for (let i = 0; i < RUNS; i++) {
        runs.push(await load({ url: `${stack.url}/api/v1/sessions/board`, headers: { authorization: `Bearer ${token}` } }));
      }
      const m = (k: keyof Latency) => median(runs.map((r) => r[k]));
      rows.push(
        `| ${stored.toLocaleString('en')} | ${m('requests')} | ${m('errors')} | ${m('rps').toFixed(0)} | ${m('p50')} | ${m('p90')} | ${m('p97_5')} | ${m('p99')} |`,
      );
      console.error(rows[rows.length - 1]);
    }
    console.log(rows.join('\n'));
  } finally {
    await stack.close();
  }
}

await main();
