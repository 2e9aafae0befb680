import { randomUUID } from 'node:crypto';
import { MllpListener } from '../apps/api/src/hl7/mllp-listener.js';
import { MovableClock, ownDatabase, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { oru } from './support/hl7-samples.js';
import { exchange, framed } from './support/mllp.js';
import { randomEui64 } from './support/route-fixtures.js';
import { sessionAt } from './support/sessions.js';

const api = '/api/v1';
const SYS = '150021^MDC_PRESS_BLD_NONINV_SYS';
const DIA = '150022^MDC_PRESS_BLD_NONINV_DIA';
const HR = '147842^MDC_ECG_HEART_RATE';
const MMHG = '266016^MDC_DIM_MMHG';
const BPM = '264864^MDC_DIM_BEAT_PER_MIN';

/** An instant as HL7 writes it, with its offset (UTC). */
const hl7 = (at: Date) => `${at.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
/** The wall-clock time of `at` in `zone`, as a gateway set to local time sends it (no offset). */
const local = (at: Date, zone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
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

/**
 * The feed's time rules, with the API's clock moved by the test: a reading that arrives later than
 * the clinic's lateReadingPageAfterMin is charted, judged and shown but pages nobody; times without
 * an offset are read in the gateway's zone and the reading says so; a gateway whose clock drifts is
 * reported to the administrators once per episode.
 */
describe('the monitor feed’s time rules (time moved by an injected clock)', () => {
  let t: TestApp;
  let a: Staff;
  let port: number;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  const clock = new MovableClock();
  const minutes = (m: number) => clock.advanceDays(m / 1440);
  const ago = (m: number) => new Date(clock.now().getTime() - m * 60_000);
  beforeAll(async () => {
    db = await ownDatabase();
    t = await startTestApp({ DATABASE_URL: db.url, HL7_MLLP_PORT: '0', HL7_MLLP_HOST: '127.0.0.1' }, { clock });
    port = t.app.get(MllpListener).address()!.port;
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  beforeEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const get = (path: string, token: string) => t.http.get(`${api}${path}`).set(bearer(token)).expect(200);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  const send = async (message: string) => (await exchange(port, framed(message), { expect: 1 })).acks[0];

  /** A chair with a monitor (a fresh EUI-64: its own gateway, as the test messages' MSH-3 names it) and a session in dosing in it. */
  async function bedside(): Promise<{ eui: string; sessionId: string }> {
    const chairId = (await post('/chairs', a.token.admin, { name: `Chair ${randomUUID().slice(0, 6)}` }).expect(201)).body.id as string;
    const eui = randomEui64();
    await post('/monitors', a.token.admin, { name: `Monitor ${eui}`, chairId, eui64: eui }).expect(201);
    return { eui, sessionId: await sessionAt(t.http, a, 'dosing', { chairId }) };
  }
  const nibp = (eui: string, measured: Date, sys = 186, dia = 112) =>
    oru({
      controlId: `C-${randomUUID()}`,
      at: hl7(clock.now()),
      eui64: eui,
      rows: [
        [SYS, String(sys), MMHG, hl7(measured)],
        [DIA, String(dia), MMHG, hl7(measured)],
      ],
    });
  const deviceVitals = async (sessionId: string) =>
    ((await get(`/sessions/${sessionId}/vitals`, a.token.nurse)).body.items as Array<Record<string, unknown>>).filter(
      (r) => r['source'] === 'device',
    );
  const alertsOf = async (sessionId: string) =>
    (await get(`/alerts?sessionId=${sessionId}`, a.token.anesthesiologist)).body.items as unknown[];

  it('a hypertensive reading arriving 14 minutes after it was measured is charted, judged critical and shown late; it pages nobody', async () => {
    const { eui, sessionId } = await bedside();
    const measured = new Date(clock.now().getTime() + 60_000);
    minutes(15);
    const ack = await send(nibp(eui, measured));
    expect(ack.MSA[1]).toBe('AA');
    expect(await deviceVitals(sessionId)).toEqual([
      expect.objectContaining({ systolic: 186, diastolic: 112, breachLevel: 'critical', late: true, timeOffsetAssumed: false }),
    ]);
    // No alert, so no escalation scheduled, no stream event and nothing for anyone to acknowledge.
    expect(await alertsOf(sessionId)).toEqual([]);
    expect(
      await q(`SELECT count(*)::int AS n FROM pending_work WHERE kind LIKE 'escalate-alert%' AND clinic_id = $1`, [a.clinic.id]),
    ).toEqual([{ n: 0 }]);
    const [logged] = await q<{ detail: { sessions: Array<{ late: number; alerts: string[] }> } }>(
      `SELECT detail FROM hl7_messages WHERE control_id = $1`,
      [ack.MSA[2]],
    );
    expect(logged.detail.sessions).toEqual([expect.objectContaining({ stored: 1, late: 1, alerts: [] })]);

    // The monitor's next cycle, measured a moment ago, is the one that alarms.
    expect((await send(nibp(eui, ago(0.2), 184, 111))).MSA[1]).toBe('AA');
    expect(await alertsOf(sessionId)).toEqual([expect.objectContaining({ measure: 'blood-pressure', level: 'critical', status: 'open' })]);
    expect((await deviceVitals(sessionId)).map((r) => r['late'])).toEqual([true, false]);
  });

  it('the limit is the clinic’s setting: at 20 minutes, the same 14-minute-old reading pages', async () => {
    const settings = { lateReadingPageAfterMin: 20, reason: 'our gateway buffers up to a quarter of an hour' };
    expect((await t.http.patch(`${api}/clinic-settings`).set(bearer(a.token.admin)).send(settings).expect(200)).body).toMatchObject({
      lateReadingPageAfterMin: 20,
      hl7LogRetentionDays: 30,
    });
    try {
      const { eui, sessionId } = await bedside();
      const measured = new Date(clock.now().getTime() + 60_000);
      minutes(15);
      expect((await send(nibp(eui, measured))).MSA[1]).toBe('AA');
      expect(await deviceVitals(sessionId)).toEqual([expect.objectContaining({ late: false, breachLevel: 'critical' })]);
      expect(await alertsOf(sessionId)).toEqual([expect.objectContaining({ level: 'critical', status: 'open' })]);
    } finally {
      await t.http
        .patch(`${api}/clinic-settings`)
        .set(bearer(a.token.admin))
        .send({ lateReadingPageAfterMin: 10, reason: 'back to the default' })
        .expect(200);
    }
    const bad = await t.http
      .patch(`${api}/clinic-settings`)
      .set(bearer(a.token.admin))
      .send({ lateReadingPageAfterMin: 0, hl7LogRetentionDays: 0, reason: 'too low' })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['hl7LogRetentionDays', 'lateReadingPageAfterMin']);
  });

  it('a time without an offset is read in the clinic’s zone, then in the zone an administrator gives the gateway; the reading says so', async () => {
    const { eui, sessionId } = await bedside();
    const first = new Date(Math.floor(clock.now().getTime() / 1000) * 1000 + 2000);
    const message = (at: string) => oru({ controlId: `C-${randomUUID()}`, at, eui64: eui, rows: [[HR, '77', BPM, at]] });
    expect((await send(message(local(first, a.clinic.timeZone)))).MSA[1]).toBe('AA');

    const gateways = (await get('/hl7-gateways', a.token.admin)).body.items as Array<{ id: string; sendingApplication: string }>;
    const gateway = gateways.find((g) => g.sendingApplication === `GW_PCD^${eui}^EUI-64`)!;
    expect(gateway).toMatchObject({ clinicId: a.clinic.id, timeZone: null });
    await t.http.patch(`${api}/hl7-gateways/${gateway.id}`).set(bearer(a.token.admin)).send({ timeZone: 'Mars/Olympus' }).expect(400);
    const edited = await t.http
      .patch(`${api}/hl7-gateways/${gateway.id}`)
      .set(bearer(a.token.admin))
      .send({ timeZone: 'Asia/Tokyo' })
      .expect(200);
    expect(edited.body.timeZone).toBe('Asia/Tokyo');
    const second = new Date(first.getTime() + 1000);
    expect((await send(message(local(second, 'Asia/Tokyo')))).MSA[1]).toBe('AA');

    expect((await deviceVitals(sessionId)).map((r) => [r['measuredAt'], r['timeOffsetAssumed']])).toEqual([
      [first.toISOString(), true],
      [second.toISOString(), true],
    ]);
    expect(await q(`SELECT changes FROM audit_events WHERE action = 'monitor.gateway.update' AND resource_id = $1`, [gateway.id])).toEqual([
      { changes: { before: { timeZone: null }, after: { timeZone: 'Asia/Tokyo' } } },
    ]);
  });

  it('a gateway clock off by more than 5 minutes on three messages in a row: its administrators are told once; told again when it is back', async () => {
    const eui = randomEui64();
    const chairId = (await post('/chairs', a.token.admin, { name: `Chair ${randomUUID().slice(0, 6)}` }).expect(201)).body.id as string;
    await post('/monitors', a.token.admin, { name: `Monitor ${eui}`, chairId, eui64: eui }).expect(201);
    // Only the device's own row: nothing to chart, every message AA.
    const stamped = (at: Date) => oru({ controlId: `C-${randomUUID()}`, at: hl7(at), eui64: eui, rows: [] });
    const told = () =>
      q<{ subject: string; recipient_user_id: string }>(
        `SELECT subject, recipient_user_id FROM notifications WHERE clinic_id = $1 AND subject LIKE '%' || $2 || '%' ORDER BY created_at`,
        [a.clinic.id, eui],
      );
    const gatewayView = async () =>
      ((await get('/hl7-gateways', a.token.admin)).body.items as Array<Record<string, unknown>>).find(
        (g) => g['sendingApplication'] === `GW_PCD^${eui}^EUI-64`,
      )!;

    for (let i = 0; i < 2; i++) expect((await send(stamped(ago(9)))).MSA[1]).toBe('AA');
    expect(await told()).toEqual([]);
    expect((await send(stamped(ago(9)))).MSA[1]).toBe('AA');
    expect(await told()).toEqual([{ subject: expect.stringMatching(/is off by 9 min$/), recipient_user_id: a.admin.id }]);
    const drifting = await gatewayView();
    expect(drifting).toMatchObject({ clockDriftMessages: 3, clockDriftWarnedAt: expect.any(String) });
    // HL7 times are to the second: 9 minutes behind, give or take the second cut off.
    expect(Math.abs((drifting['clockDriftSec'] as number) + 540)).toBeLessThanOrEqual(2);
    // The same episode: nobody is told again.
    expect((await send(stamped(ago(9)))).MSA[1]).toBe('AA');
    expect(await told()).toHaveLength(1);

    // Back in step (a message stamped 30 s ago): the episode closes, the administrators hear so.
    expect((await send(stamped(ago(0.5)))).MSA[1]).toBe('AA');
    expect((await told()).map((n) => n.subject)).toEqual([expect.stringMatching(/off by 9 min$/), expect.stringMatching(/back in step$/)]);
    expect(await gatewayView()).toMatchObject({ clockDriftMessages: 0, clockDriftWarnedAt: null, clockDriftSince: null });

    // A clock running ahead is a new episode; one drifted message between in-step ones is none.
    expect((await send(stamped(ago(-7)))).MSA[1]).toBe('AA');
    expect((await send(stamped(ago(0)))).MSA[1]).toBe('AA');
    for (let i = 0; i < 3; i++) expect((await send(stamped(ago(-7)))).MSA[1]).toBe('AA');
    expect((await told()).map((n) => n.subject)).toEqual([
      expect.stringMatching(/off by 9 min$/),
      expect.stringMatching(/back in step$/),
      expect.stringMatching(/off by 7 min$/),
    ]);
    expect(
      await q(`SELECT action FROM audit_events WHERE action LIKE 'monitor.gateway.clock%' AND clinic_id = $1 ORDER BY occurred_at`, [
        a.clinic.id,
      ]),
    ).toEqual([
      { action: 'monitor.gateway.clock-drift' },
      { action: 'monitor.gateway.clock-in-step' },
      { action: 'monitor.gateway.clock-drift' },
    ]);
  });
});
