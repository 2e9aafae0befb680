import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MllpListener } from '../apps/api/src/hl7/mllp-listener.js';
import { ownDatabase, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { ORU_MALFORMED, ORU_NORMAL, oru } from './support/hl7-samples.js';
import { exchange, framed, sendWithHl7Client } from './support/mllp.js';
import { randomEui64 } from './support/route-fixtures.js';
import { sessionAt } from './support/sessions.js';
import { openStream } from './support/sse.js';

const api = '/api/v1';
const METRICS_TOKEN = 'metrics-token-hl7-0123456789';
/**
 * An HL7 time, with its offset, `secondsAgo` before now (negative: ahead). A session checked in a
 * moment ago takes readings measured after its check-in: those are sent a few seconds ahead, well
 * inside the two minutes a device clock may run ahead.
 */
const hl7Time = (secondsAgo = 0) => {
  const iso = new Date(Date.now() - secondsAgo * 1000).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+0000`;
};
const SYS = '150021^MDC_PRESS_BLD_NONINV_SYS';
const DIA = '150022^MDC_PRESS_BLD_NONINV_DIA';
const HR = '147842^MDC_ECG_HEART_RATE';
const SPO2 = '150456^MDC_PULS_OXIM_SAT_O2';
const MMHG = '266016^MDC_DIM_MMHG';
const BPM = '264864^MDC_DIM_BEAT_PER_MIN';
const PCT = '262688^MDC_DIM_PERCENT';

describe('the HL7 v2 monitor feed over MLLP, with real sockets', () => {
  let t: TestApp;
  let a: Staff;
  let port: number;
  let baseUrl: string;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  beforeAll(async () => {
    // A database of its own: the reference messages name their monitor's EUI-64, which is unique
    // across Vigil, and other files of the run may register the same one (the API's example).
    db = await ownDatabase();
    t = await startTestApp({
      DATABASE_URL: db.url,
      HL7_MLLP_PORT: '0',
      HL7_MLLP_HOST: '127.0.0.1',
      HL7_MLLP_IDLE_TIMEOUT_SEC: '2',
      METRICS_TOKEN,
    });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    port = t.app.get(MllpListener).address()!.port;
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);

  /** A chair with a monitor (a fresh EUI-64) and a session in progress in it. */
  async function bedside(status: 'ready' | 'dosing' = 'dosing'): Promise<{ eui: string; sessionId: string; chairId: string }> {
    const chairId = (await post('/chairs', a.token.admin, { name: `Chair ${randomUUID().slice(0, 6)}` }).expect(201)).body.id as string;
    const eui = randomEui64();
    await post('/monitors', a.token.admin, { name: `Monitor ${eui}`, chairId, eui64: eui }).expect(201);
    const sessionId = await sessionAt(t.http, a, status, { chairId });
    return { eui, sessionId, chairId };
  }
  const deviceReadings = (sessionId: string) =>
    q<{ device_id: string; heart_rate: number; recorded_by: string | null }>(
      `SELECT device_id, heart_rate, systolic, recorded_by FROM vital_readings WHERE session_id = $1 AND source = 'device' ORDER BY measured_at`,
      [sessionId],
    );
  const vitalsMessage = (eui: string, secondsAgo: number, hr = 72, spo2 = 98, controlId = `C-${randomUUID()}`) =>
    oru({
      controlId,
      at: hl7Time(secondsAgo),
      eui64: eui,
      rows: [
        [HR, String(hr), BPM, hl7Time(secondsAgo)],
        [SPO2, String(spo2), PCT, hl7Time(secondsAgo)],
      ],
    });
  const controlIdOf = (text: string) => text.split('\r')[0].split('|')[9];

  it('node-hl7-client sends three messages on one connection: exactly three ACKs, in order, each message stored once', async () => {
    const { eui, sessionId } = await bedside();
    const messages = [vitalsMessage(eui, -2, 70), vitalsMessage(eui, -3, 71), vitalsMessage(eui, -4, 72)];
    const acks = await sendWithHl7Client(port, messages);
    expect(acks.map((x) => [x.MSA[1], x.MSA[2]])).toEqual(messages.map((m) => ['AA', controlIdOf(m)]));
    expect(new Set(acks.map((x) => x.MSH[10])).size).toBe(3);
    expect(await deviceReadings(sessionId)).toEqual(
      [70, 71, 72].map((hr) => expect.objectContaining({ device_id: eui, heart_rate: hr, recorded_by: null })),
    );
    const logged = await q(`SELECT outcome FROM hl7_messages WHERE control_id = ANY($1)`, [messages.map(controlIdOf)]);
    expect(logged).toEqual([{ outcome: 'accepted' }, { outcome: 'accepted' }, { outcome: 'accepted' }]);
  });

  it('two frames in one write: two ACKs, in order', async () => {
    const { eui, sessionId } = await bedside();
    const messages = [vitalsMessage(eui, -2, 80), vitalsMessage(eui, -3, 81)];
    const { acks, closed } = await exchange(port, [Buffer.concat(framed(...messages))], { expect: 2 });
    expect(acks.map((x) => [x.MSA[1], x.MSA[2]])).toEqual(messages.map((m) => ['AA', controlIdOf(m)]));
    expect(closed).toBe(false);
    expect((await deviceReadings(sessionId)).map((r) => r.heart_rate)).toEqual([80, 81]);
  });

  it('one frame split across two writes 200 ms apart: one ACK', async () => {
    const { eui, sessionId } = await bedside();
    const [bytes] = framed(vitalsMessage(eui, -2, 90));
    const { acks } = await exchange(port, [bytes.subarray(0, 100), bytes.subarray(100)], { expect: 1, gapMs: 200 });
    expect(acks.map((x) => x.MSA[1])).toEqual(['AA']);
    expect((await deviceReadings(sessionId)).map((r) => r.heart_rate)).toEqual([90]);
  });

  it('a hypertensive NIBP from a bound monitor raises the critical alert with the reading, streamed; its resend stores nothing', async () => {
    const { eui, sessionId } = await bedside();
    const stream = await openStream(baseUrl, a.token.anesthesiologist);
    const message = oru({
      controlId: `C-${randomUUID()}`,
      at: hl7Time(-3),
      eui64: eui,
      rows: [
        [SYS, '186', MMHG, hl7Time(-2)],
        [DIA, '112', MMHG, hl7Time(-2)],
      ],
    });
    const { acks } = await exchange(port, framed(message), { expect: 1 });
    expect(acks[0].MSA.slice(1, 3)).toEqual(['AA', controlIdOf(message)]);
    const alerts = (await t.http.get(`${api}/alerts?sessionId=${sessionId}`).set(bearer(a.token.anesthesiologist)).expect(200)).body.items;
    expect(alerts).toEqual([expect.objectContaining({ measure: 'blood-pressure', level: 'critical', status: 'open' })]);
    const [reading] = await q<{ id: string; breach_level: string }>(
      `SELECT id, breach_level FROM vital_readings WHERE session_id = $1 AND source = 'device'`,
      [sessionId],
    );
    expect(reading.breach_level).toBe('critical');
    expect(await q(`SELECT reading_id FROM alert_readings WHERE alert_id = $1`, [alerts[0].id])).toEqual([{ reading_id: reading.id }]);
    const until = Date.now() + 5000;
    while (!stream.events.some((e) => e.event === 'raised' && e.data['id'] === alerts[0].id) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    expect(stream.events).toContainEqual(expect.objectContaining({ event: 'raised', data: expect.objectContaining({ id: alerts[0].id }) }));
    stream.close();

    const again = await exchange(port, framed(message), { expect: 1 });
    expect(again.acks[0].MSA.slice(1, 3)).toEqual(['AA', controlIdOf(message)]);
    expect(again.acks[0].MSH[10]).not.toBe(acks[0].MSH[10]);
    expect(await q(`SELECT count(*)::int AS n FROM vital_readings WHERE session_id = $1`, [sessionId])).toEqual([{ n: 2 }]); // baseline + the NIBP
    expect((await t.http.get(`${api}/alerts?sessionId=${sessionId}`).set(bearer(a.token.anesthesiologist))).body.items).toHaveLength(1);
    expect(await q(`SELECT outcome FROM hl7_messages WHERE control_id = $1 ORDER BY received_at`, [controlIdOf(message)])).toEqual([
      { outcome: 'accepted' },
      { outcome: 'duplicate' },
    ]);
    expect(
      await q(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'monitor.feed.duplicate' AND clinic_id = $1`, [a.clinic.id]),
    ).toEqual([{ n: 1 }]);
  });

  it('the reference messages: the malformed one AE with an ERR per problem and nothing stored; the normal one, a week old, AA and kept unbound', async () => {
    const chairId = (await post('/chairs', a.token.admin, { name: 'Chair 3 (reference)' }).expect(201)).body.id as string;
    await post('/monitors', a.token.admin, { name: 'Reference monitor', chairId, eui64: '0009FBFFFE4A1C20' }).expect(201);
    const bad = await exchange(port, framed(ORU_MALFORMED), { expect: 1 });
    expect(bad.acks[0].MSA.slice(1, 3)).toEqual(['AE', 'GW0009FB-20261129150200-0441']);
    expect(bad.acks[0].ERR.map((e) => `${e[2]} ${e[3].split('^')[0]}`)).toEqual([
      'OBX^1 100',
      'OBX^1^5 102',
      'OBX^2^5 102',
      'OBX^3^11 103',
      'OBX^3^3^^3 101',
    ]);
    expect(
      await q(
        `SELECT count(*)::int AS n FROM unbound_readings WHERE message_id IN (SELECT id FROM hl7_messages WHERE control_id = 'GW0009FB-20261129150200-0441')`,
      ),
    ).toEqual([{ n: 0 }]);
    const log = await t.http.get(`${api}/hl7-messages?controlId=GW0009FB-20261129150200-0441`).set(bearer(a.token.admin)).expect(200);
    expect(log.body.items).toEqual([
      expect.objectContaining({
        outcome: 'refused',
        ackCode: 'AE',
        raw: ORU_MALFORMED,
        ack: bad.acks[0].text,
        peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      }),
    ]);
    expect(log.body.items[0].detail.problems).toHaveLength(5);
    await t.http.get(`${api}/hl7-messages`).set(bearer(a.token.nurse)).expect(403);

    const good = await exchange(port, framed(ORU_NORMAL), { expect: 1 });
    expect(good.acks[0].MSA.slice(1, 3)).toEqual(['AA', 'GW0009FB-20261129143005-0412']);
    const kept = await q(
      `SELECT clinic_id, chair_id, reason, "values", measured_at FROM unbound_readings WHERE device_id = '0009FBFFFE4A1C20' ORDER BY measured_at`,
    );
    expect(kept).toEqual([
      {
        clinic_id: a.clinic.id,
        chair_id: chairId,
        reason: 'no-session',
        values: { systolic: 124, diastolic: 78 },
        measured_at: new Date('2026-11-29T19:28:12Z'),
      },
      {
        clinic_id: a.clinic.id,
        chair_id: chairId,
        reason: 'no-session',
        values: { heartRate: 72, spo2: 98, respiratoryRate: 14, temperatureC: 36.8 },
        measured_at: new Date('2026-11-29T19:30:00Z'),
      },
    ]);
    expect(await q(`SELECT count(*)::int AS n FROM vital_readings WHERE device_id = '0009FBFFFE4A1C20'`)).toEqual([{ n: 0 }]);

    const adt = ORU_NORMAL.replace('ORU^R01^ORU_R01|GW0009FB-20261129143005-0412', 'ADT^A01^ADT_A01|ADT-1');
    const rejected = await exchange(port, framed(adt), { expect: 1 });
    expect(rejected.acks[0].MSA.slice(1, 3)).toEqual(['AR', 'ADT-1']);
    expect(rejected.acks[0].ERR[0][3]).toBe('200^Unsupported message type^HL70357');
  });

  it('an implausible value refuses the whole message (AE naming its OBX row): nothing of it is stored', async () => {
    const { eui, sessionId } = await bedside();
    const message = vitalsMessage(eui, -2, 75, 104);
    const { acks } = await exchange(port, framed(message), { expect: 1 });
    expect(acks[0].MSA[1]).toBe('AE');
    expect(acks[0].ERR.map((e) => e[2])).toEqual(['OBX^3^5']);
    expect(acks[0].MSA[3]).toContain('spo2');
    expect(await deviceReadings(sessionId)).toEqual([]);
  });

  it('a reading repeated in the next periodic message (same device and time) is stored once; one measured 5 min ahead is AE on its OBX-14', async () => {
    const { eui, sessionId } = await bedside();
    const at = hl7Time(-2);
    const periodic = (controlId: string) => oru({ controlId, at, eui64: eui, rows: [[HR, '74', BPM, at]] });
    const { acks } = await exchange(port, framed(periodic(`C-${randomUUID()}`), periodic(`C-${randomUUID()}`)), { expect: 2 });
    expect(acks.map((x) => x.MSA[1])).toEqual(['AA', 'AA']);
    expect((await deviceReadings(sessionId)).map((r) => r.heart_rate)).toEqual([74]);

    const ahead = hl7Time(-300);
    const future = oru({ controlId: `C-${randomUUID()}`, at: hl7Time(-2), eui64: eui, rows: [[HR, '75', BPM, ahead]] });
    const refused = await exchange(port, framed(future), { expect: 1 });
    expect(refused.acks[0].MSA[1]).toBe('AE');
    expect(refused.acks[0].ERR.map((e) => e[2])).toEqual(['OBX^2^14']);
    expect((await deviceReadings(sessionId)).map((r) => r.heart_rate)).toEqual([74]);
  });

  it('a patient on the monitor who is not the session’s keeps the reading unbound, never alarming', async () => {
    const { eui, sessionId } = await bedside();
    const message = oru({
      controlId: `C-${randomUUID()}`,
      at: hl7Time(-2),
      eui64: eui,
      mrn: 'SOMEONE-ELSE',
      rows: [
        [SYS, '190', MMHG, hl7Time(-2)],
        [DIA, '115', MMHG, hl7Time(-2)],
      ],
    });
    const { acks } = await exchange(port, framed(message), { expect: 1 });
    expect(acks[0].MSA[1]).toBe('AA');
    expect(await deviceReadings(sessionId)).toEqual([]);
    expect(await q(`SELECT reason, patient_mrn FROM unbound_readings WHERE device_id = $1`, [eui])).toEqual([
      { reason: 'patient-mismatch', patient_mrn: 'SOMEONE-ELSE' },
    ]);
    expect((await t.http.get(`${api}/alerts?sessionId=${sessionId}`).set(bearer(a.token.nurse))).body.items).toEqual([]);
  });

  it('times without an offset are read in the clinic’s zone (the gateway has none of its own), and the log says so', async () => {
    // With two clinics, a gateway of neither yet has no zone of its own: the monitor's clinic decides.
    await clinicWithStaff(t.runtime.dataSource, t.http);
    const { eui, sessionId } = await bedside();
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 3000);
    // The clinic's wall-clock time (America/New_York), as a gateway set to local time sends it.
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: a.clinic.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .format(at)
      .replace(/\D/g, '');
    const message = oru({ controlId: `C-${randomUUID()}`, at: local, eui64: eui, rows: [[HR, '77', BPM, local]] });
    const { acks } = await exchange(port, framed(message), { expect: 1 });
    expect(acks[0].MSA[1]).toBe('AA');
    expect(await q(`SELECT measured_at FROM vital_readings WHERE session_id = $1 AND source = 'device'`, [sessionId])).toEqual([
      { measured_at: at },
    ]);
    expect(await q(`SELECT detail->'zoneAssumed' AS flagged FROM hl7_messages WHERE control_id = $1`, [controlIdOf(message)])).toEqual([
      { flagged: true },
    ]);
  });

  it('a frame over 1 MiB closes the connection; so do 2 s of silence (HL7_MLLP_IDLE_TIMEOUT_SEC)', async () => {
    const huge = Buffer.concat([Buffer.from([0x0b]), Buffer.alloc(1024 * 1024 + 10, 0x41)]);
    const big = await exchange(port, [huge], { expect: 1, waitMs: 3000 });
    expect(big).toEqual({ acks: [], closed: true });
    const started = Date.now();
    const idle = await exchange(port, [], { expect: 1, waitMs: 4000 });
    expect(idle.closed).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('Debian’s mllp_send (python3-hl7) sends a file of two messages, LF between segments, on one connection: two AAs, both stored', async () => {
    const { eui, sessionId } = await bedside();
    const messages = [vitalsMessage(eui, -2, 66), vitalsMessage(eui, -3, 67)];
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-mllp-')), 'two.hl7');
    writeFileSync(file, messages.map((m) => m.replace(/\r/g, '\n')).join('\n') + '\n');
    const { stdout } = await promisify(execFile)('mllp_send', ['--loose', '-p', String(port), '-f', file, '127.0.0.1'], {
      timeout: 20_000,
    }).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? new Error('mllp_send is not installed: apt-get install python3-hl7 (.ci/run does)') : err;
    });
    const msa = stdout.split(/\r|\n/).filter((l) => l.startsWith('MSA|'));
    expect(msa).toEqual(messages.map((m) => `MSA|AA|${controlIdOf(m)}`));
    expect((await deviceReadings(sessionId)).map((r) => r.heart_rate)).toEqual([66, 67]);
  });

  it('/health/ready reports the listener; /metrics its connections, messages by outcome and ACK latency', async () => {
    const unknownDevice = vitalsMessage(randomEui64(), -1);
    const refused = ORU_MALFORMED.replace('GW0009FB-20261129150200-0441', `C-${randomUUID()}`);
    const sent = await exchange(port, framed(unknownDevice, unknownDevice, refused), { expect: 3 });
    expect(sent.acks.map((x) => x.MSA[1])).toEqual(['AA', 'AA', 'AE']);
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', hl7: 'up', hl7Connections: expect.any(Number) });
    const metrics = (await t.http.get('/metrics').set(bearer(METRICS_TOKEN)).expect(200)).text;
    expect(metrics).toMatch(/vigil_hl7_messages_total\{outcome="accepted",ack="AA"\} [1-9]/);
    expect(metrics).toMatch(/vigil_hl7_messages_total\{outcome="refused",ack="AE"\} [1-9]/);
    expect(metrics).toMatch(/vigil_hl7_messages_total\{outcome="duplicate",ack="AA"\} [1-9]/);
    expect(metrics).toMatch(/vigil_hl7_ack_seconds_count\{ack="AA"\} [1-9]/);
    expect(metrics).toMatch(/vigil_hl7_connections \d+/);
  });
});
