import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { MllpListener } from '../apps/api/src/hl7/mllp-listener.js';
import {
  ARTIFACTS,
  axeViolations,
  chromiumAvailable,
  startBoardFloor,
  unexpectedErrors,
  type BoardFloor,
  type Viewer,
  nurseAndAnesthesiologist,
} from './support/board-page.js';
import { bearer } from './support/factories.js';
import { seat } from './support/floor.js';
import { oru } from './support/hl7-samples.js';
import { exchange, framed } from './support/mllp.js';
import { randomEui64 } from './support/route-fixtures.js';

const CLINIC_ZONE = 'America/Denver';
const BROWSER_ZONE = 'Asia/Tokyo';

/** HL7 TS with its offset: 20261207143005+0000. */
const hl7Time = (at: Date) => `${at.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
const clinicClock = (at: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: CLINIC_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

/*
 * Monitor readings the HL7 feed keeps unbound, on the board in Chromium: they show within 2 s in a
 * strip above the tiles (where, why, how many, the latest values) and as a badge on the tile of the
 * chair they come from; a nurse attaches them to the session from the board, or discards them with
 * a reason, and every board follows.
 */
(chromiumAvailable() ? describe : describe.skip)('the wall board page in Chromium: unbound monitor readings', () => {
  let f: BoardFloor;
  let nurse: Viewer;
  let doctor: Viewer;
  let mllpPort: number;
  let chair7: string;
  const monitor: Record<'chair7' | 'chair8', { chairId: string; eui: string }> = {
    chair7: { chairId: '', eui: randomEui64() },
    chair8: { chairId: '', eui: randomEui64() },
  };
  const admin = (path: string, body: object) => f.t.http.post(`/api/v1${path}`).set(bearer(f.s.token.admin)).send(body);
  const unbound = async (deviceId: string) =>
    f.t.runtime.dataSource.query<Array<{ status: string; session_id: string | null; resolve_reason: string | null }>>(
      'SELECT status, session_id, resolve_reason FROM unbound_readings WHERE device_id = $1 ORDER BY measured_at',
      [deviceId],
    );

  /** The monitor sends one reading set measured `at`: SpO2 and heart rate. */
  async function send(m: { eui: string }, at: Date, spo2: number, heartRate: number): Promise<void> {
    const time = hl7Time(at);
    const message = oru({
      controlId: `C-${randomUUID()}`,
      at: time,
      eui64: m.eui,
      rows: [
        ['150456^MDC_PULS_OXIM_SAT_O2', String(spo2), '262688^MDC_DIM_PERCENT', time],
        ['147842^MDC_ECG_HEART_RATE', String(heartRate), '264864^MDC_DIM_BEAT_PER_MIN', time],
      ],
    });
    expect((await exchange(mllpPort, framed(message), { expect: 1 })).acks[0].MSA[1]).toBe('AA');
  }

  beforeAll(async () => {
    f = await startBoardFloor({
      timeZone: CLINIC_ZONE,
      browserZone: BROWSER_ZONE,
      env: { HL7_MLLP_PORT: '0', HL7_MLLP_HOST: '127.0.0.1' },
    });
    mllpPort = f.t.app.get(MllpListener).address()!.port;
    for (const [key, name] of [
      ['chair7', 'Chair 7'],
      ['chair8', 'Chair 8'],
    ] as const) {
      monitor[key].chairId = (await admin('/chairs', { name }).expect(201)).body.id as string;
      await admin('/monitors', { name: `Monitor ${name}`, chairId: monitor[key].chairId, eui64: monitor[key].eui }).expect(201);
    }
    // The patient in chair 7 was checked in on a typed label, not the registered chair: its monitor's readings find no session.
    // Its baseline is 5 min old, so the monitor's readings below (65 s and 5 s ago) are the newest it has.
    chair7 = await seat(f.t.http, f.s, 'Chair 7', 'dosing', { firstName: 'Ingrid', lastName: 'Halvorsen', dateOfBirth: '1972-03-19' }, 5);
    await seat(f.t.http, f.s, 'Chair 2', 'observation', { firstName: 'Beatriz', lastName: 'Quintana', dateOfBirth: '1990-07-30' });
    [nurse, doctor] = await nurseAndAnesthesiologist(f);
  }, 120_000);

  afterAll(() => f?.close(), 60_000);

  it('shows nothing while every reading has its session', async () => {
    await nurse.page.locator('[data-session-id]').nth(1).waitFor({ timeout: 5000 });
    await expect(nurse.page.locator('[data-testid=unbound]').isHidden()).resolves.toBe(true);
    await expect(nurse.page.locator('[data-testid=unbound-badge]:visible').count()).resolves.toBe(0);
  });

  it('shows a monitor’s unbound readings within 2 s: where, why, how many and the latest, and a badge on that chair’s tile', async () => {
    const first = new Date(Date.now() - 65_000);
    const latest = new Date(Date.now() - 5_000);
    await send(monitor.chair7, first, 93, 104);
    await send(monitor.chair7, latest, 85, 118);
    const started = Date.now();
    for (const v of [nurse, doctor]) {
      const group = v.page.locator('[data-testid=unbound-group][data-chair="Chair 7"]');
      await group.locator('.count', { hasText: '2 readings' }).waitFor({ timeout: 2000 });
    }
    expect(Date.now() - started).toBeLessThan(2000);
    const group = nurse.page.locator('[data-testid=unbound-group][data-chair="Chair 7"]');
    await expect(group.locator('.why').textContent()).resolves.toBe('no patient checked in at this chair');
    await expect(group.locator('.count').textContent()).resolves.toBe(`2 readings · ${clinicClock(first)}–${clinicClock(latest)}`);
    await expect(group.locator('[data-testid=unbound-values]').textContent()).resolves.toBe('latest HR 118 · SpO2 85');
    const badge = nurse.page.locator(`[data-session-id="${chair7}"] [data-testid=unbound-badge]`);
    await expect(badge.textContent()).resolves.toBe('◇ 2 monitor readings not charted');
    // Not an alarm of the tile: the readings are nobody's yet.
    await expect(nurse.page.locator(`[data-session-id="${chair7}"]`).getAttribute('data-alarm')).resolves.toBe('none');
    await expect(nurse.page.getByRole('region', { name: 'Monitor readings not charted' }).isVisible()).resolves.toBe(true);
    expect(await axeViolations(nurse.page)).toEqual([]);
    await nurse.page.screenshot({ path: join(ARTIFACTS, 'unbound-wall-1920x1080.png') });
    await doctor.page.screenshot({ path: join(ARTIFACTS, 'unbound-tablet-1024x768.png'), fullPage: true });
  });

  it('lets a nurse attach them to the session in that chair from the board: charted, judged, and gone from every board', async () => {
    const { page } = nurse;
    await page.getByRole('button', { name: 'Attach the readings of Chair 7 to a session' }).click();
    const form = page.locator('dialog form.attach-form');
    // The session in the monitor's chair is chosen already.
    await expect(form.locator('select[name=sessionId]').inputValue()).resolves.toBe(chair7);
    await expect(form.locator('.what').textContent()).resolves.toBe(
      'Chair 7 · no patient checked in at this chair · 2 readings · latest HR 118 · SpO2 85',
    );
    expect(await axeViolations(page)).toEqual([]);
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'detached', timeout: 3000 });
    for (const v of [nurse, doctor]) {
      await v.page.locator('[data-testid=unbound]').waitFor({ state: 'hidden', timeout: 2000 });
      // SpO2 85 is critical (clinical rules §3): the tile says so now that the reading is the patient's.
      await v.page.locator(`[data-session-id="${chair7}"][data-alarm=critical]`).waitFor({ timeout: 2000 });
      await v.page.locator(`[data-session-id="${chair7}"] [data-testid=spo2]`, { hasText: '85' }).waitFor({ timeout: 2000 });
    }
    await expect(page.locator(`[data-session-id="${chair7}"] [data-testid=unbound-badge]`).isHidden()).resolves.toBe(true);
    expect(await unbound(monitor.chair7.eui)).toEqual([
      { status: 'attached', session_id: chair7, resolve_reason: null },
      { status: 'attached', session_id: chair7, resolve_reason: null },
    ]);
  });

  it('lets a nurse discard a monitor’s readings with a reason, refused without one beside the field', async () => {
    const { page } = nurse;
    await send(monitor.chair8, new Date(Date.now() - 3000), 97, 72);
    const group = page.locator('[data-testid=unbound-group][data-chair="Chair 8"]');
    await group.waitFor({ timeout: 2000 });
    // No tile is in chair 8: the strip alone tells of it.
    await expect(page.locator('[data-session-id][data-chair="Chair 8"]').count()).resolves.toBe(0);
    await group.locator('button[data-action=discard]').focus();
    await page.keyboard.press('Enter');
    const form = page.locator('dialog form.discard-form');
    await form.locator('textarea[name=reason]:focus').waitFor({ timeout: 2000 });
    await form.locator('button[type=submit]').click();
    await form.locator('[data-error-for=reason]:not(:empty)').waitFor({ timeout: 2000 });
    await form.locator('textarea[name=reason]').fill('monitor tested before the patient sat down');
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'detached', timeout: 2000 });
    await doctor.page.locator('[data-testid=unbound]').waitFor({ state: 'hidden', timeout: 2000 });
    await page.locator('[data-testid=unbound]').waitFor({ state: 'hidden', timeout: 2000 });
    expect(await unbound(monitor.chair8.eui)).toEqual([
      { status: 'discarded', session_id: null, resolve_reason: 'monitor tested before the patient sat down' },
    ]);
  });

  it('raised no page error, and no console error but the refused discard', () => {
    expect(unexpectedErrors(f.viewers, /status of 400 /)).toEqual([]);
  });
});
