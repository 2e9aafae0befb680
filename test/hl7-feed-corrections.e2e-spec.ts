import { randomUUID } from 'node:crypto';
import { MllpListener } from '../apps/api/src/hl7/mllp-listener.js';
import { ownDatabase, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { oru } from './support/hl7-samples.js';
import { exchange, framed } from './support/mllp.js';
import { randomEui64 } from './support/route-fixtures.js';
import { sessionAt } from './support/sessions.js';

const api = '/api/v1';
const HR = '147842^MDC_ECG_HEART_RATE^MDC';
const SPO2 = '150456^MDC_PULS_OXIM_SAT_O2^MDC';
const SYS = '150021^MDC_PRESS_BLD_NONINV_SYS^MDC';
const DIA = '150022^MDC_PRESS_BLD_NONINV_DIA^MDC';
const UNITS: Record<string, string> = {
  [HR]: '264864^MDC_DIM_BEAT_PER_MIN^MDC',
  [SPO2]: '262688^MDC_DIM_PERCENT^MDC',
  [SYS]: '266016^MDC_DIM_MMHG^MDC',
  [DIA]: '266016^MDC_DIM_MMHG^MDC',
};

/** A time a few seconds ahead (a session checked in a moment ago takes it), as HL7 writes it. */
const hl7Time = (secondsAhead: number) =>
  `${new Date(Date.now() + secondsAhead * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;

/**
 * OBX-11 as a device uses it after the fact: `D` (deleted) and `W` (sent wrong) withdraw a value it
 * sent before for the same measurement time; `X` says it could not obtain one. A withdrawal corrects
 * the stored reading the way a device's correction does, audited, and never alarms.
 */
describe('the monitor feed: values a device withdraws or could not obtain', () => {
  let t: TestApp;
  let a: Staff;
  let port: number;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let ahead = 2;
  beforeAll(async () => {
    db = await ownDatabase();
    t = await startTestApp({ DATABASE_URL: db.url, HL7_MLLP_PORT: '0', HL7_MLLP_HOST: '127.0.0.1' });
    port = t.app.get(MllpListener).address()!.port;
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  const send = async (message: string) => (await exchange(port, framed(message), { expect: 1 })).acks[0];
  /** OBX rows `[code, value, status]` measured at `at`; a withdrawal (D, W, X) without a value has no unit either. */
  const message = (eui: string, at: string, rows: Array<[string, string, string]>) =>
    oru({ controlId: `C-${randomUUID()}`, at, eui64: eui, rows: [] }) +
    rows
      .map(
        ([code, value, status], i) => `\rOBX|${i + 2}|NM|${code}|1.1.1.${i + 1}|${value}|${value ? UNITS[code] : ''}|||||${status}|||${at}`,
      )
      .join('');

  async function bedside(): Promise<{ eui: string; sessionId: string }> {
    const chairId = (
      await t.http
        .post(`${api}/chairs`)
        .set(bearer(a.token.admin))
        .send({ name: `Chair ${randomUUID().slice(0, 6)}` })
    ).body.id as string;
    const eui = randomEui64();
    await t.http
      .post(`${api}/monitors`)
      .set(bearer(a.token.admin))
      .send({ name: `Monitor ${eui}`, chairId, eui64: eui })
      .expect(201);
    return { eui, sessionId: await sessionAt(t.http, a, 'dosing', { chairId }) };
  }
  const current = async (sessionId: string) =>
    (
      (await t.http.get(`${api}/sessions/${sessionId}/vitals`).set(bearer(a.token.nurse)).expect(200)).body.items as Array<
        Record<string, unknown>
      >
    )
      .filter((r) => r['source'] === 'device')
      .map((r) => ({ heartRate: r['heartRate'], spo2: r['spo2'], systolic: r['systolic'] }));
  const logOf = async (controlId: string) =>
    (
      await q<{ detail: { retracted?: Array<{ outcome: string; fields: string[] }> } }>(
        `SELECT detail FROM hl7_messages WHERE control_id = $1`,
        [controlId],
      )
    )[0].detail;

  it('D withdraws one value: a reading of what is left supersedes the stored one; W of the rest leaves nothing; both audited', async () => {
    const { eui, sessionId } = await bedside();
    const at = hl7Time(ahead++);
    expect(
      (
        await send(
          message(eui, at, [
            [HR, '72', 'R'],
            [SPO2, '98', 'R'],
          ]),
        )
      ).MSA[1],
    ).toBe('AA');
    expect(await current(sessionId)).toEqual([{ heartRate: 72, spo2: 98, systolic: null }]);

    const withdrawSpo2 = await send(message(eui, at, [[SPO2, '', 'D']]));
    expect(withdrawSpo2.MSA[1]).toBe('AA');
    expect(await current(sessionId)).toEqual([{ heartRate: 72, spo2: null, systolic: null }]);
    expect((await logOf(withdrawSpo2.MSA[2])).retracted).toEqual([expect.objectContaining({ outcome: 'corrected', fields: ['spo2'] })]);
    const rows = await q<{ id: string; spo2: number | null; superseded_by_reading_id: string | null; superseded_at: Date | null }>(
      `SELECT id, spo2, superseded_by_reading_id, superseded_at FROM vital_readings WHERE session_id = $1 AND source = 'device' ORDER BY recorded_at`,
      [sessionId],
    );
    expect(rows).toEqual([
      expect.objectContaining({ spo2: 98, superseded_by_reading_id: rows[1].id, superseded_at: expect.any(Date) }),
      expect.objectContaining({ spo2: null, superseded_at: null }),
    ]);

    const withdrawHr = await send(message(eui, at, [[HR, '72', 'W']]));
    expect(withdrawHr.MSA[1]).toBe('AA');
    expect(await current(sessionId)).toEqual([]);
    expect((await logOf(withdrawHr.MSA[2])).retracted).toEqual([expect.objectContaining({ outcome: 'superseded', fields: ['heartRate'] })]);
    expect(
      await q(
        `SELECT resource_type, resource_id, actor_user_id FROM audit_events WHERE action = 'monitor.feed.retract' AND clinic_id = $1 ORDER BY occurred_at`,
        [a.clinic.id],
      ),
    ).toEqual([
      { resource_type: 'vital-reading', resource_id: rows[0].id, actor_user_id: null },
      { resource_type: 'vital-reading', resource_id: rows[1].id, actor_user_id: null },
    ]);
  });

  it('a withdrawal never alarms, even when what is left breaches; a systolic withdrawn takes the diastolic with it', async () => {
    const { eui, sessionId } = await bedside();
    const at = hl7Time(ahead++);
    expect(
      (
        await send(
          message(eui, at, [
            [HR, '135', 'R'],
            [SPO2, '97', 'R'],
            [SYS, '186', 'R'],
            [DIA, '112', 'R'],
          ]),
        )
      ).MSA[1],
    ).toBe('AA');
    const alerts = async () =>
      (await t.http.get(`${api}/alerts?sessionId=${sessionId}`).set(bearer(a.token.anesthesiologist))).body.items as Array<{
        id: string;
        status: string;
      }>;
    const raised = await alerts();
    expect(raised).toHaveLength(2); // critical heart rate and critical blood pressure
    for (const alert of raised)
      await t.http
        .post(`${api}/alerts/${alert.id}/resolve`)
        .set(bearer(a.token.anesthesiologist))
        .send({ note: 'cuff artefact, rechecked' })
        .expect(200);

    expect((await send(message(eui, at, [[SYS, '', 'W']]))).MSA[1]).toBe('AA');
    // The correction still carries the heart rate of 135: judged critical, but no alert is raised again.
    expect(await current(sessionId)).toEqual([{ heartRate: 135, spo2: 97, systolic: null }]);
    expect(
      await q(`SELECT diastolic, breach_level FROM vital_readings WHERE session_id = $1 AND source = 'device' AND superseded_at IS NULL`, [
        sessionId,
      ]),
    ).toEqual([{ diastolic: null, breach_level: 'critical' }]);
    expect((await alerts()).map((x) => x.status)).toEqual(['resolved', 'resolved']);
  });

  it('X (no value obtained) stores nothing and is no error; withdrawing what was never stored is no error either', async () => {
    const { eui, sessionId } = await bedside();
    expect((await send(message(eui, hl7Time(ahead++), [[SPO2, '97', 'X']]))).MSA[1]).toBe('AA');
    expect(await current(sessionId)).toEqual([]);
    const nothing = await send(message(eui, hl7Time(ahead++), [[SPO2, '', 'D']]));
    expect(nothing.MSA[1]).toBe('AA');
    expect((await logOf(nothing.MSA[2])).retracted).toEqual([expect.objectContaining({ outcome: 'not-found' })]);
  });

  it('a reading kept unbound loses the withdrawn value; with none left it is discarded, by nobody, with the reason', async () => {
    const eui = randomEui64(); // no monitor registered: its readings are kept unbound
    const at = hl7Time(ahead++);
    expect(
      (
        await send(
          message(eui, at, [
            [HR, '88', 'R'],
            [SPO2, '96', 'R'],
          ]),
        )
      ).MSA[1],
    ).toBe('AA');
    expect((await send(message(eui, at, [[SPO2, '', 'D']]))).MSA[1]).toBe('AA');
    expect(await q(`SELECT status, "values" FROM unbound_readings WHERE device_id = $1`, [eui])).toEqual([
      { status: 'open', values: { heartRate: 88 } },
    ]);
    expect((await send(message(eui, at, [[HR, '', 'W']]))).MSA[1]).toBe('AA');
    expect(await q(`SELECT status, resolved_by, resolve_reason FROM unbound_readings WHERE device_id = $1`, [eui])).toEqual([
      { status: 'discarded', resolved_by: null, resolve_reason: expect.stringContaining('withdrawn by the device') },
    ]);
  });
});
