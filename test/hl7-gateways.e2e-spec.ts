import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { MllpListener } from '../apps/api/src/hl7/mllp-listener.js';
import { HL7_LOG_SWEEP_SUBJECT } from '../libs/clinic/src/monitors/index.js';
import { JobDispatcher, JobName } from '../libs/platform/src/index.js';
import { ownDatabase, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { oru } from './support/hl7-samples.js';
import { until } from './support/load.js';
import { exchange, framed } from './support/mllp.js';
import { randomEui64 } from './support/route-fixtures.js';
import { sessionAt } from './support/sessions.js';

const api = '/api/v1';
const HR = '147842^MDC_ECG_HEART_RATE';
const BPM = '264864^MDC_DIM_BEAT_PER_MIN';
// Philips Efficia's private NIBP codes (coding system MDIL), with the unit as free text.
const NBPS = '0002-4a05^NBPs^MDIL';
const NBPD = '0002-4a06^NBPd^MDIL';

/** An instant a few seconds ahead (a session checked in a moment ago takes it), as HL7 writes it. */
const hl7Time = (secondsAhead: number) =>
  `${new Date(Date.now() + secondsAhead * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;

/**
 * What administrators set per gateway (its own code and unit mappings, read before Vigil's
 * defaults) and how long the raw message log is kept (hl7LogRetentionDays, swept by pending work).
 */
describe('monitor gateways: their own mappings, and the message log’s retention', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let port: number;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  beforeAll(async () => {
    db = await ownDatabase();
    t = await startTestApp({ DATABASE_URL: db.url, HL7_MLLP_PORT: '0', HL7_MLLP_HOST: '127.0.0.1', WORKER_EMBEDDED: 'true' });
    port = t.app.get(MllpListener).address()!.port;
    [a, b] = [await clinicWithStaff(t.runtime.dataSource, t.http), await clinicWithStaff(t.runtime.dataSource, t.http)];
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const get = (path: string, token: string) => t.http.get(`${api}${path}`).set(bearer(token)).expect(200);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  const send = async (message: string) => (await exchange(port, framed(message), { expect: 1 })).acks[0];

  it('a vendor’s private code charts only once an administrator maps it for that gateway, with its unit; removing the row undoes it', async () => {
    const chairId = (await post('/chairs', a.token.admin, { name: 'Chair 5' }).expect(201)).body.id as string;
    const eui = randomEui64();
    await post('/monitors', a.token.admin, { name: 'Efficia at chair 5', chairId, eui64: eui }).expect(201);
    const sessionId = await sessionAt(t.http, a, 'dosing', { chairId });
    let ahead = 2;
    const philips = (sys = '124', dia = '78') => {
      const at = hl7Time(ahead++);
      return oru({
        controlId: `C-${randomUUID()}`,
        at,
        eui64: eui,
        rows: [
          [NBPS, sys, 'mm Hg', at],
          [NBPD, dia, 'mm Hg', at],
          [HR, '70', BPM, at],
        ],
      });
    };
    const charted = async () =>
      q<{ systolic: number | null; diastolic: number | null; heart_rate: number }>(
        `SELECT systolic, diastolic, heart_rate FROM vital_readings WHERE session_id = $1 AND source = 'device' ORDER BY measured_at`,
        [sessionId],
      );

    // Unknown to Vigil: kept raw in the log, never charted; the heart rate charts.
    const first = await send(philips());
    expect(first.MSA[1]).toBe('AA');
    expect(await charted()).toEqual([{ systolic: null, diastolic: null, heart_rate: 70 }]);
    const [logged] = await q<{ detail: { raw: Array<{ code: string; kind: string }> } }>(
      `SELECT detail FROM hl7_messages WHERE control_id = $1`,
      [first.MSA[2]],
    );
    expect(logged.detail.raw.filter((r) => r.kind === 'raw').map((r) => r.code)).toEqual(['0002-4a05', '0002-4a06']);

    const gateway = ((await get('/hl7-gateways', a.token.admin)).body.items as Array<{ id: string; sendingApplication: string }>).find(
      (g) => g.sendingApplication === `GW_PCD^${eui}^EUI-64`,
    )!;
    const map = (code: string, refid: string, field: string) =>
      post(`/hl7-gateways/${gateway.id}/code-maps`, a.token.admin, {
        system: 'mdil',
        code,
        refid,
        field,
        reason: 'Efficia NBP, per its HL7 guide',
      });
    const sysMap = (await map('0002-4a05', 'NBPs', 'systolic').expect(201)).body;
    expect(sysMap).toMatchObject({ gatewayId: gateway.id, system: 'MDIL', field: 'systolic', unit: 'mm[Hg]', overridden: false });
    await map('0002-4a06', 'NBPd', 'diastolic').expect(201);
    const codes = (await get(`/hl7-gateways/${gateway.id}/code-maps`, a.token.admin)).body.items as Array<{
      gatewayId: string | null;
      code: string;
    }>;
    expect(codes.slice(0, 2).map((c) => [c.gatewayId, c.code])).toEqual([
      [gateway.id, '0002-4a05'],
      [gateway.id, '0002-4a06'],
    ]);
    expect(codes.slice(2).every((c) => c.gatewayId === null)).toBe(true);

    // Mapped, but "mm Hg" is no unit Vigil knows: AE naming the unit, nothing stored.
    const refused = philips();
    const unknownUnit = await send(refused);
    expect(unknownUnit.MSA[1]).toBe('AE');
    expect(unknownUnit.ERR.map((e) => `${e[2]} ${e[3].split('^')[0]}`)).toEqual(['OBX^2^6 103', 'OBX^3^6 103']);
    expect(await charted()).toHaveLength(1);

    const unit = await post(`/hl7-gateways/${gateway.id}/unit-maps`, a.token.admin, {
      unit: 'mm Hg',
      toUnit: 'mm[Hg]',
      reason: 'Efficia writes the unit as text',
    }).expect(201);
    expect(unit.body).toMatchObject({ gatewayId: gateway.id, unit: 'mm Hg', toUnit: 'mm[Hg]', factor: 1, addend: 0 });
    expect((await send(philips('131', '84'))).MSA[1]).toBe('AA');
    expect((await charted()).at(-1)).toEqual({ systolic: 131, diastolic: 84, heart_rate: 70 });
    // The refused message resent (same control id) gets its first answer again, errors and all; nothing is stored.
    const resent = await send(refused);
    expect([resent.MSA[1], resent.ERR.map((e) => `${e[2]} ${e[3].split('^')[0]}`)]).toEqual(['AE', ['OBX^2^6 103', 'OBX^3^6 103']]);
    expect(await charted()).toHaveLength(2);

    // Another gateway sending the same private code still has it unmapped.
    const other = randomEui64();
    const at = hl7Time(ahead++);
    expect((await send(oru({ controlId: `C-${randomUUID()}`, at, eui64: other, rows: [[NBPS, '124', 'mm Hg', at]] }))).MSA[1]).toBe('AA');
    expect(await q(`SELECT "values" FROM unbound_readings WHERE device_id = $1`, [other])).toEqual([]);

    // Removed: the code is unknown again for this gateway.
    await t.http.delete(`${api}/hl7-gateways/${gateway.id}/code-maps/${sysMap.id}`).set(bearer(a.token.admin)).expect(204);
    await t.http.delete(`${api}/hl7-gateways/${gateway.id}/code-maps/${sysMap.id}`).set(bearer(a.token.admin)).expect(404);
    // Diastolic alone is no blood pressure: the vitals rules refuse it (AE on that row).
    const halfMapped = await send(philips('140', '90'));
    expect(halfMapped.MSA[1]).toBe('AE');
    expect(halfMapped.ERR.map((e) => e[2])).toEqual(['OBX^3^5']);

    expect(
      await q(`SELECT action FROM audit_events WHERE resource_id = $1 AND action LIKE 'monitor.gateway.%' ORDER BY occurred_at`, [
        gateway.id,
      ]),
    ).toEqual([
      { action: 'monitor.gateway.code-map.set' },
      { action: 'monitor.gateway.code-map.set' },
      { action: 'monitor.gateway.unit-map.set' },
      { action: 'monitor.gateway.code-map.remove' },
    ]);
    // Another clinic's administrator does not see the gateway, nor reach it.
    expect(((await get('/hl7-gateways', b.token.admin)).body.items as Array<{ id: string }>).map((g) => g.id)).not.toContain(gateway.id);
    await t.http.get(`${api}/hl7-gateways/${gateway.id}/code-maps`).set(bearer(b.token.admin)).expect(404);
    const wrongUnit = await post(`/hl7-gateways/${gateway.id}/unit-maps`, a.token.admin, { unit: 'kPa', toUnit: 'kPa', reason: 'no' });
    expect(wrongUnit.status).toBe(400);
  });

  it('the raw log is swept by pending work: rows past their clinic’s retention go, those a resend or an unbound reading needs wait', async () => {
    // The sweep's first run (due since the migration) has run and scheduled the next.
    await until(
      'the first sweep',
      async () =>
        (await q(`SELECT 1 FROM pending_work WHERE kind = $1 AND status = 'pending' AND due_at > now()`, [JobName.SweepHl7Log])).length ===
        1,
    );
    await t.http
      .patch(`${api}/clinic-settings`)
      .set(bearer(b.token.admin))
      .send({ hl7LogRetentionDays: 7, reason: 'keep it short' })
      .expect(200);
    const logRow = async (clinicId: string, daysAgo: number, duplicateOf: string | null = null) => {
      const [row] = await q<{ id: string }>(
        `INSERT INTO hl7_messages (received_at, clinic_id, peer, control_id, raw, ack_code, ack, outcome, duplicate_of)
         VALUES (now() - make_interval(days => $2), $1, '127.0.0.1:1', $3, '\\x00', 'AA', 'MSA|AA', $4, $5) RETURNING id`,
        [clinicId, daysAgo, `R-${randomUUID()}`, duplicateOf ? 'duplicate' : 'accepted', duplicateOf],
      );
      return row.id;
    };
    const old = await logRow(a.clinic.id, 40);
    const recent = await logRow(a.clinic.id, 10);
    const resent = await logRow(a.clinic.id, 40);
    const itsResend = await logRow(a.clinic.id, 39, resent);
    const answered = await logRow(a.clinic.id, 35);
    const youngResend = await logRow(a.clinic.id, 2, answered);
    const keptForUnbound = await logRow(a.clinic.id, 40);
    await q(
      `INSERT INTO unbound_readings (clinic_id, message_id, device_id, measured_at, "values", reason, received_at)
       VALUES ($1, $2, $3, now() - interval '40 days', '{"heartRate": 80}', 'no-session', now())`,
      [a.clinic.id, keptForUnbound, randomEui64()],
    );
    const shortLived = await logRow(b.clinic.id, 10);
    const theirRecent = await logRow(b.clinic.id, 3);

    // An UPDATE … RETURNING answers [rows, affected count].
    const [[work]] = await t.runtime.dataSource.query<[Array<{ id: string }>, number]>(
      `UPDATE pending_work SET due_at = now() WHERE kind = $1 AND subject_id = $2 AND status = 'pending' RETURNING id`,
      [JobName.SweepHl7Log, HL7_LOG_SWEEP_SUBJECT],
    );
    const job = { name: JobName.SweepHl7Log, id: `t-${work.id}`, data: { workId: work.id } } as unknown as Job;
    // The embedded worker's sweeper may have claimed the row now due first: then it is done by it.
    if (!(await t.app.get(JobDispatcher).dispatch(job)))
      await until(
        'the sweep run',
        async () => (await q(`SELECT 1 FROM pending_work WHERE id = $1 AND status = 'done'`, [work.id])).length === 1,
      );

    const left = new Set((await q<{ id: string }>(`SELECT id FROM hl7_messages`)).map((r) => r.id));
    expect([old, resent, itsResend, shortLived].filter((id) => left.has(id))).toEqual([]);
    expect([recent, answered, youngResend, keptForUnbound, theirRecent].filter((id) => !left.has(id))).toEqual([]);
    expect(
      await q(
        `SELECT clinic_id, changes->'deleted' AS deleted FROM audit_events WHERE action = 'monitor.feed.log.purge' ORDER BY clinic_id`,
      ),
    ).toEqual(
      [
        { clinic_id: a.clinic.id, deleted: 3 },
        { clinic_id: b.clinic.id, deleted: 1 },
      ].sort((x, y) => x.clinic_id.localeCompare(y.clinic_id)),
    );
    // The next run is a pending row of its own, an hour on.
    const next = await q<{ due_at: Date }>(`SELECT due_at FROM pending_work WHERE kind = $1 AND status = 'pending'`, [JobName.SweepHl7Log]);
    expect(next).toHaveLength(1);
    expect(next[0].due_at.getTime() - Date.now()).toBeGreaterThan(55 * 60_000);
  });
  it('a gateway’s row says when it was last heard from, to the second: the other messages of that second read it without writing it', async () => {
    const seen = async () =>
      (
        await q<{ last_seen_at: Date; last_peer: string }>(
          `SELECT last_seen_at, last_peer FROM hl7_gateways WHERE sending_application = $1 AND sending_facility = 'VIGIL_MAIN_GW'`,
          [`GW_PCD^${eui}^EUI-64`],
        )
      )[0];
    const eui = randomEui64();
    const message = () => oru({ controlId: `C-${randomUUID()}`, at: hl7Time(0), eui64: eui, rows: [[HR, '70', BPM, hl7Time(0)]] });
    expect((await send(message())).MSA[1]).toBe('AA');
    const first = await seen();
    expect((await send(message())).MSA[1]).toBe('AA');
    // Within the second of the recorded time, nothing moves (a slower machine may have let it pass).
    if (Date.now() - first.last_seen_at.getTime() < 1000) expect(await seen()).toEqual(first);
    await new Promise((r) => setTimeout(r, 1100));
    const before = Date.now();
    expect((await send(message())).MSA[1]).toBe('AA');
    const later = await seen();
    expect(later.last_seen_at.getTime()).toBeGreaterThanOrEqual(before);
    expect(later.last_peer).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});
