/**
 * Scenario 3 (and the FHIR search goal): reads that must not slow down as the clinic's history
 * grows. `GET /sessions/board` (30 active sessions), `GET /sessions/:id` (a session with 100
 * readings), and one patient's vital signs as an EHR reads them: `GET /fhir/R4/Observation?patient=
 * &category=vital-signs&date=ge…` beside the REST list of one of that patient's sessions
 * (`GET /sessions/:id/vitals`). The patient's own history is fixed (20 past sessions); the stored
 * readings grow with other patients' sessions.
 * BOARD_READINGS=100000,1000000,10000000 by default; BOARD_CONNECTIONS=1 (the time one screen waits);
 * BOARD_RUNS=1 run of BENCH_SECONDS per endpoint and size: a 5-second run at one connection is
 * thousands of requests, whose p95 moves less between runs than the 1 ms resolution it is read at.
 */
import { activeSessions, load, medianOf, staff, startStack, table, type BenchStack, type Latency } from './support.js';

const SIZES = (process.env['BOARD_READINGS'] ?? '100000,1000000,10000000').split(',').map(Number);
const CONNECTIONS = Number(process.env['BOARD_CONNECTIONS'] ?? 1);
const RUNS = Number(process.env['BOARD_RUNS'] ?? 1);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const ACTIVE = 30;
const READINGS_PER_HISTORICAL_SESSION = 200;
/** The other patients whose past sessions make up the history. */
const HISTORY_PATIENTS = 1000;
/** Historical sessions inserted per statement while seeding (200 readings each). */
const SEED_CHUNK = 5000;

const ENDPOINTS = [
  ['board', '`GET /sessions/board`'],
  ['session', '`GET /sessions/:id`'],
  ['fhir', '`GET /fhir/R4/Observation?patient=&category=vital-signs&date=ge…`'],
  ['rest', '`GET /sessions/:id/vitals` (the same patient)'],
] as const;

export async function board(): Promise<string> {
  const stack = await startStack();
  try {
    const nurse = await staff(stack, 'nurse');
    const { token } = await staff(stack, 'anesthesiologist');
    const ids = await activeSessions(stack, nurse.userId, ACTIVE);
    // 99 readings more on each active session (100 with its baseline), every 20 s while dosing.
    await stack.db.query(
      `INSERT INTO vital_readings (clinic_id, session_id, measured_at, source, phase, systolic, diastolic, heart_rate, spo2, moaas, recorded_by)
       SELECT $1, s, now() - interval '49 minutes' + (g * 20 || ' seconds')::interval, 'device', 'dosing', 120 + g % 30, 75 + g % 10, 70, 98, 5, $2
         FROM unnest($3::uuid[]) s, generate_series(1, 99) g`,
      [stack.clinicId, nurse.userId, ids],
    );
    const subject = await subjectHistory(stack, nurse.userId, ids[0]);
    const since = new Date(Date.now() - 14 * 86_400_000).toISOString();
    const paths: Record<(typeof ENDPOINTS)[number][0], string> = {
      board: '/api/v1/sessions/board',
      session: `/api/v1/sessions/${ids[0]}`,
      fhir: `/fhir/R4/Observation?patient=${subject.patientId}&category=vital-signs&date=ge${encodeURIComponent(since)}&_count=50`,
      rest: `/api/v1/sessions/${subject.sessionId}/vitals?limit=50`,
    };
    const headers = { authorization: `Bearer ${token}` };
    const rows: Array<Array<string | number>> = [];
    const p95s: Record<string, number[]> = { board: [], session: [], fhir: [], rest: [] };
    let stored = ACTIVE * 100 + subject.readings;
    const seeder = await historySeeder(stack, nurse.userId);
    for (const size of SIZES) {
      const t0 = Date.now();
      stored = await seeder(stored, size);
      await stack.db.query('ANALYZE');
      const seeded = Math.round((Date.now() - t0) / 1000);
      for (const [name, label] of ENDPOINTS) {
        const runs: Latency[] = [];
        for (let i = 0; i < RUNS; i++)
          runs.push(await load({ url: `${stack.url}${paths[name]}`, headers, connections: CONNECTIONS, duration: SECONDS }));
        const m = medianOf(runs);
        p95s[name].push(m.p95);
        rows.push([label, stored, m.requests, m.errors, Math.round(m.rps), m.p50, m.p95, m.p99]);
      }
      console.error(`  ${stored.toLocaleString('en')} readings (seeded in ${seeded} s)`);
    }
    const growth = (k: string) => (p95s[k].length > 1 ? (p95s[k][p95s[k].length - 1] / Math.max(1, p95s[k][0])).toFixed(2) : 'n/a');
    const first = SIZES[0].toLocaleString('en');
    const last = SIZES[SIZES.length - 1].toLocaleString('en');
    return [
      `### 3. Reads as history grows: board, session detail, FHIR vital-signs search (${CONNECTIONS} connection${CONNECTIONS === 1 ? '' : 's'}, ${RUNS === 1 ? 'one run' : `median of ${RUNS} runs`} of ${SECONDS} s)`,
      '',
      table(['endpoint', 'stored readings', 'requests', 'errors', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms'], rows),
      '',
      `p95 at ${last} readings ÷ p95 at ${first}: board ${growth('board')}, session ${growth('session')}, FHIR search ${growth('fhir')}, REST vitals ${growth('rest')} ` +
        '(goals: board and session p95 ≤ 20 ms at 1,000,000 and ≤ 1.5×; FHIR search p95 ≤ 50 ms at 1,000,000 and ≤ 1.5×).',
      `The FHIR search's patient has ${subject.readings.toLocaleString('en')} readings in 20 past sessions over 14 days; the search asks for the last 14 days, 50 a page.`,
      'p95 is at millisecond resolution: a ratio of single-digit latencies moves in steps of 1 ms.',
    ].join('\n');
  } finally {
    await stack.close();
  }
}

/** The patient of `activeSessionId` gets 20 discharged sessions of 200 readings over the last 14 days. */
async function subjectHistory(
  stack: BenchStack,
  userId: string,
  activeSessionId: string,
): Promise<{ patientId: string; sessionId: string; readings: number }> {
  const { rows } = await stack.db.query<{ patient_id: string; protocol_version_id: string }>(
    `SELECT patient_id, protocol_version_id FROM sessions WHERE id = $1`,
    [activeSessionId],
  );
  const { patient_id: patientId, protocol_version_id: protocolId } = rows[0];
  const { rows: sessions } = await stack.db.query<{ id: string }>(
    `WITH s AS (
       INSERT INTO sessions (clinic_id, patient_id, protocol_key, protocol_version_id, status, checked_in_at, ended_at)
       SELECT $1, $2, 'ketamine-iv-standard', $3, 'discharged', now() - (g * 16 || ' hours')::interval, now() - (g * 16 || ' hours')::interval + interval '2 hours'
         FROM generate_series(1, 20) g RETURNING id, checked_in_at),
     r AS (
       INSERT INTO vital_readings (clinic_id, session_id, measured_at, source, phase, systolic, diastolic, heart_rate, spo2, moaas, recorded_by)
       SELECT $1, s.id, s.checked_in_at + (r * 30 || ' seconds')::interval, 'device', 'observation', 125 + r % 20, 80, 72, 97, 5, $4
         FROM s, generate_series(1, ${READINGS_PER_HISTORICAL_SESSION}) r RETURNING 1)
     SELECT id FROM s ORDER BY checked_in_at DESC`,
    [stack.clinicId, patientId, protocolId, userId],
  );
  return { patientId, sessionId: sessions[0].id, readings: 20 * READINGS_PER_HISTORICAL_SESSION };
}

/**
 * A function that adds discharged sessions of 200 readings each, spread over 1,000 other patients,
 * until `size` readings are stored. Their ids are sequential (UUIDs from counters), so the
 * primary-key indexes grow at their right edge: random ids made seeding 10⁷ readings take minutes.
 */
async function historySeeder(stack: BenchStack, userId: string): Promise<(stored: number, size: number) => Promise<number>> {
  const { rows: protocol } = await stack.db.query<{ id: string }>(
    `SELECT id FROM protocol_versions WHERE key = 'ketamine-iv-standard' AND clinic_id IS NULL`,
  );
  const { rows: patients } = await stack.db.query<{ id: string }>(
    `INSERT INTO patients (clinic_id, mrn, first_name, last_name, date_of_birth, search_text)
     SELECT $1, 'H-' || g, 'Past', 'Patient ' || g, '1975-06-01', 'past patient ' || g FROM generate_series(1, $2) g RETURNING id`,
    [stack.clinicId, HISTORY_PATIENTS],
  );
  const patientIds = patients.map((p) => p.id);
  await stack.db.query('CREATE SEQUENCE bench_reading_ids');
  let nextSession = 1;
  return async (stored, size) => {
    let sessions = Math.ceil(Math.max(0, size - stored) / READINGS_PER_HISTORICAL_SESSION);
    // Two statements at a time (one per core): the server, not this process, is the bottleneck.
    const lane = async () => {
      while (sessions > 0) {
        const n = Math.min(SEED_CHUNK, sessions);
        sessions -= n;
        const from = nextSession;
        nextSession += n;
        await stack.db.query(
          `WITH s AS (
             INSERT INTO sessions (id, clinic_id, patient_id, protocol_key, protocol_version_id, status, checked_in_at, ended_at)
             SELECT ('b0000000' || lpad(to_hex(g), 24, '0'))::uuid, $1, ($2::uuid[])[1 + g % $7], 'ketamine-iv-standard', $3, 'discharged',
                    now() - interval '30 days' - (g || ' minutes')::interval, now() - interval '30 days' - (g || ' minutes')::interval + interval '2 hours'
               FROM generate_series($4::bigint, $4::bigint + $5 - 1) g RETURNING id, checked_in_at)
           INSERT INTO vital_readings (id, clinic_id, session_id, measured_at, source, phase, systolic, diastolic, heart_rate, spo2, moaas, recorded_by)
           SELECT ('e0000000' || lpad(to_hex(nextval('bench_reading_ids')), 24, '0'))::uuid,
                  $1, s.id, s.checked_in_at + (r * 30 || ' seconds')::interval, 'device', 'observation', 125, 80, 72, 97, 5, $6
             FROM s, generate_series(1, ${READINGS_PER_HISTORICAL_SESSION}) r`,
          [stack.clinicId, patientIds, protocol[0].id, from, n, userId, patientIds.length],
        );
        stored += n * READINGS_PER_HISTORICAL_SESSION;
      }
    };
    await Promise.all([lane(), lane()]);
    return stored;
  };
}
