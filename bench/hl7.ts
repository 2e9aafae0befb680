/**
 * Scenario 7: readings through the HL7 monitor feed (MLLP), each message answered after its commit,
 * against the raw-insert baseline of the same run. 50 monitors at 50 chairs with a session dosing in
 * each; 10 gateway connections, then 50 (one per monitor), each sending its monitors' messages one
 * after another (a sender waits for a message's ACK before the next), one reading (NIBP, heart rate,
 * SpO2) per message measured and sent now, every tenth a systolic of 185 (critical).
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { frame, MllpFramer } from '../apps/api/src/hl7/mllp-framer.js';
import { freePort } from '../libs/platform/src/index.js';
import { rawSingleInserts, type RawRate } from './baseline.js';
import { measuredCpu, perItemUs } from './cpu.js';
import {
  activeSessions,
  medianOf,
  percentile,
  RUNS,
  SECONDS,
  staff,
  startStack,
  table,
  tenthBreaches,
  type BenchStack,
} from './support.js';

const MONITORS = 50;
/** Gateways, each one connection: 10 sharing the 50 monitors, then one per monitor (as many in flight as the raw baseline). */
const CONNECTIONS = [10, 50];

/** An HL7 time with milliseconds and its offset. */
const dtm = (at: Date) => `${at.toISOString().replace(/[-:T]/g, '').replace('Z', '')}+0000`;

/** Chairs, a monitor at each, and the dosing sessions moved into them; the monitors' EUI-64s. */
async function bedsides(stack: BenchStack, nurseId: string, adminId: string): Promise<string[]> {
  const sessions = await activeSessions(stack, nurseId, MONITORS, 'H');
  const euis = sessions.map(() => randomBytes(8).toString('hex').toUpperCase());
  await stack.db.query(
    `WITH c AS (
       INSERT INTO chairs (clinic_id, name) SELECT $1, 'Bench chair ' || s FROM unnest($2::uuid[]) s RETURNING id, name),
     m AS (
       INSERT INTO monitors (clinic_id, name, chair_id, eui64, created_by)
       SELECT $1, 'Monitor ' || e, c.id, e, $4 FROM unnest($2::uuid[], $3::text[]) AS x(s, e) JOIN c ON c.name = 'Bench chair ' || x.s)
     UPDATE sessions SET chair_id = c.id FROM c WHERE c.name = 'Bench chair ' || sessions.id`,
    [stack.clinicId, sessions, euis, adminId],
  );
  return euis;
}

let seq = 0;
/** Each monitor's last measurement time: a monitor never stamps two readings with the same millisecond. */
const lastAt = new Map<string, number>();

/**
 * A message as a monitor in step with Vigil's clock sends it: measured and sent now (a message
 * stamped minutes ago would be a late reading, which pages nobody, from a gateway whose clock drifts).
 */
function message(eui: string, breach: boolean): string {
  const ms = Math.max(Date.now(), (lastAt.get(eui) ?? 0) + 1);
  lastAt.set(eui, ms);
  const at = dtm(new Date(ms));
  const id = `B-${seq++}`;
  return [
    `MSH|^~\\&|BENCH_GW^${eui}^EUI-64|BENCH|VIGIL|MAIN|${at}||ORU^R01^ORU_R01|${id}|P|2.6|||NE|AL`,
    'PV1||O|INFUSION',
    `OBR|1|${id}|${id}|182777000^monitoring of patient^SCT|||${at}`,
    `OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|${breach ? 185 : 124}|266016^MDC_DIM_MMHG^MDC|||||R|||${at}`,
    `OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|80|266016^MDC_DIM_MMHG^MDC|||||R|||${at}`,
    `OBX|3|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|76|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||${at}`,
    `OBX|4|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|98|262688^MDC_DIM_PERCENT^MDC|||||R|||${at}`,
  ].join('\r');
}

interface FeedRate {
  readingsPerSec: number;
  readings: number;
  p50: number;
  p99: number;
  notAA: number;
}

/** `connections` gateways for `seconds`, each cycling through its share of the monitors, one message in flight each. */
async function feed(port: number, euis: string[], seconds: number, connections: number): Promise<FeedRate> {
  const latencies: number[] = [];
  let notAA = 0;
  let n = 0;
  const end = Date.now() + seconds * 1000;
  const gateway = async (g: number) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const framer = new MllpFramer();
    let waiting: ((ack: string) => void) | undefined;
    socket.on('data', (d: Buffer) => framer.push(d).frames.forEach((f) => waiting?.(f.toString('utf8'))));
    const mine = euis.filter((_, i) => i % connections === g);
    for (let i = 0; Date.now() < end; i++) {
      const t0 = performance.now();
      const ack = await new Promise<string>((resolve) => {
        waiting = resolve;
        socket.write(frame(message(mine[i % mine.length], tenthBreaches(n++))));
      });
      latencies.push(performance.now() - t0);
      if (!ack.includes('\rMSA|AA|')) notAA++;
    }
    socket.destroy();
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: connections }, (_, g) => gateway(g)));
  const elapsed = (Date.now() - t0) / 1000;
  return {
    readingsPerSec: latencies.length / elapsed,
    readings: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    notAA,
  };
}

export async function hl7(): Promise<string> {
  const port = await freePort();
  const stack = await startStack({ env: { HL7_MLLP_PORT: String(port), HL7_MLLP_HOST: '127.0.0.1' } });
  try {
    const nurse = await staff(stack, 'nurse');
    const admin = await staff(stack, 'admin');
    const euis = await bedsides(stack, nurse.userId, admin.userId);
    const ids = (await stack.db.query<{ id: string }>(`SELECT id FROM sessions WHERE chair_id IS NOT NULL`)).rows.map((r) => r.id);
    await rawSingleInserts(stack, ids, nurse.userId, 2);
    await feed(port, euis, 3, CONNECTIONS[0]); // warm-up
    const raw: Array<RawRate & { machineUs: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      const [run, cpu] = await measuredCpu(undefined, () => rawSingleInserts(stack, ids, nurse.userId));
      raw.push({ ...run, machineUs: perItemUs(cpu.machineMs, run.rows) });
    }
    const r = medianOf(raw);
    const rows: Array<Array<string | number>> = [
      ['raw `pg` INSERT, pool 10, 50 in flight', Math.round(r.rowsPerSec), 1, '', r.p99, 0, r.machineUs, ''],
    ];
    for (const connections of CONNECTIONS) {
      const runs: Array<FeedRate & { machineUs: number; apiUs: number }> = [];
      for (let i = 0; i < RUNS; i++) {
        const [run, cpu] = await measuredCpu(stack.api.pid, () => feed(port, euis, SECONDS, connections));
        runs.push({ ...run, machineUs: perItemUs(cpu.machineMs, run.readings), apiUs: perItemUs(cpu.apiMs, run.readings) });
      }
      const f = medianOf(runs);
      const ratio = Math.round((f.readingsPerSec / r.rowsPerSec) * 100) / 100;
      rows.push([
        `ORU^R01 over MLLP, one reading a message, ${connections} connections`,
        Math.round(f.readingsPerSec),
        ratio,
        f.p50,
        f.p99,
        f.notAA,
        f.machineUs,
        f.apiUs,
      ]);
    }
    const stored = await stack.db.query<{ n: string; alerts: string }>(
      `SELECT count(*) n, (SELECT count(*) FROM alert_readings) alerts FROM vital_readings WHERE source = 'device' AND recorded_by IS NULL`,
    );
    return [
      `### 7. Monitor feed: HL7 v2 over MLLP, ACK after commit (${MONITORS} monitors, 10% breaching, measured and sent now)`,
      '',
      table(['', 'readings/s', 'ratio to raw', 'ACK p50 ms', 'ACK p99 ms', 'not AA', 'CPU µs a reading: machine', 'API process'], rows),
      '',
      `A gateway sends its next message once the previous one is answered, so n connections keep at most n messages in flight (raw: 50). ` +
        `${Number(stored.rows[0].n).toLocaleString('en')} readings stored from the feed in all, warm-up included; ${Number(stored.rows[0].alerts).toLocaleString('en')} of them joined to an alert.`,
    ].join('\n');
  } finally {
    await stack.close();
  }
}
