/**
 * The baseline every ingest goal is a ratio to, measured in the same run against the same
 * database: raw `pg` inserts of a vital reading's row shape, pool 10, 50 in flight.
 */
import pg from 'pg';
import { percentile, SECONDS, sleep, type BenchStack } from './support.js';

const COLUMNS = `clinic_id, session_id, measured_at, source, device_id, phase, systolic, diastolic, heart_rate, spo2, moaas, breach_level, breaches, recorded_by`;

// Measurement times one millisecond apart from a fixed start, unique across every run of the process.
const EPOCH = Date.now() - 40 * 60_000;
let seq = 0;

function row(stack: BenchStack, sessionId: string, userId: string): unknown[] {
  return [stack.clinicId, sessionId, new Date(EPOCH + seq++), 'device', 'baseline-raw', 'dosing', 124, 80, 76, 98, 5, 'none', '[]', userId];
}

export interface RawRate {
  rowsPerSec: number;
  /** Rows inserted in the run. */
  rows: number;
  p99: number;
}

/** One row per INSERT, 50 in flight on a pool of 10, for `seconds`. */
export async function rawSingleInserts(stack: BenchStack, sessionIds: string[], userId: string, seconds = SECONDS): Promise<RawRate> {
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 10 });
  const sql = `INSERT INTO vital_readings (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`;
  let done = 0;
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  const lane = async () => {
    while (Date.now() < end) {
      const t0 = performance.now();
      await pool.query(sql, row(stack, sessionIds[seq % sessionIds.length], userId));
      latencies.push(performance.now() - t0);
      done++;
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 50 }, lane));
  const elapsed = (Date.now() - t0) / 1000;
  await pool.end();
  await sleep(300);
  return { rowsPerSec: done / elapsed, rows: done, p99: percentile(latencies, 99) };
}

/** Multi-row INSERTs of `perInsert` rows, 50 in flight on a pool of 10, for `seconds`. */
export async function rawBatchInserts(
  stack: BenchStack,
  sessionIds: string[],
  userId: string,
  perInsert: number,
  seconds = SECONDS,
): Promise<RawRate> {
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 10 });
  const width = 14;
  const placeholders = Array.from(
    { length: perInsert },
    (_, r) => `(${Array.from({ length: width }, (__, c) => `$${r * width + c + 1}`).join(', ')})`,
  ).join(', ');
  const sql = `INSERT INTO vital_readings (${COLUMNS}) VALUES ${placeholders}`;
  let rows = 0;
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  const lane = async () => {
    while (Date.now() < end) {
      const session = sessionIds[seq % sessionIds.length];
      const values = Array.from({ length: perInsert }, () => row(stack, session, userId)).flat();
      const t0 = performance.now();
      await pool.query(sql, values);
      latencies.push(performance.now() - t0);
      rows += perInsert;
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 50 }, lane));
  const elapsed = (Date.now() - t0) / 1000;
  await pool.end();
  await sleep(300);
  return { rowsPerSec: rows / elapsed, rows, p99: percentile(latencies, 99) };
}
