import { join } from 'node:path';
import {
  ARTIFACTS,
  axeViolations,
  chromiumAvailable,
  paintedPixels,
  signIn,
  startBoardFloor,
  TABLET,
  tabTo,
  unexpectedErrors,
  WALL,
  wallClock,
  type BoardFloor,
  type Viewer,
  axeFaults,
} from './support/board-page.js';
import { bearer, PASSWORD } from './support/factories.js';
import { seat } from './support/floor.js';
import { vitals } from './support/sessions.js';

const CLINIC_ZONE = 'America/Los_Angeles';
const BROWSER_ZONE = 'America/New_York';
const PATIENTS = {
  chair10: { firstName: 'Marguerite', lastName: 'Okonkwo-Delacroix', dateOfBirth: '1979-02-11' },
  chair2: { firstName: 'Beatriz', lastName: 'Quintana', dateOfBirth: '1990-07-30' },
};

/** What axe-core finds (its WCAG A and AA rules and best practices), one line each: the page must have none, minor ones included. */
/*
 * Alerts and actions from the tile, in Chromium, with the keyboard only where a person would: a
 * critical reading turning its tile critical within 2 s, an anesthesiologist acknowledging and
 * resolving from a tablet by Tab and Enter (the focus visible at every step) while the wall screen
 * shows who within 2 s, a manual reading with the API's refusal beside the field, the session's
 * detail, and axe-core's check of the page in each of those states.
 */
(chromiumAvailable() ? describe : describe.skip)('the wall board page in Chromium: alerts and actions', () => {
  let f: BoardFloor;
  let nurse: Viewer;
  let doctor: Viewer;
  const id: Record<keyof typeof PATIENTS, string> = { chair10: '', chair2: '' };
  const tile = (v: Viewer, key: keyof typeof PATIENTS) => v.page.locator(`[data-session-id="${id[key]}"]`);
  const post = (path: string, body: object) => f.t.http.post(`/api/v1${path}`).set(bearer(f.s.token.nurse)).send(body);

  beforeAll(async () => {
    f = await startBoardFloor({ timeZone: CLINIC_ZONE, browserZone: BROWSER_ZONE });
    id.chair10 = await seat(f.t.http, f.s, 'Chair 10', 'dosing', PATIENTS.chair10);
    id.chair2 = await seat(f.t.http, f.s, 'Chair 2', 'observation', PATIENTS.chair2);
    [nurse, doctor] = await Promise.all([f.open(WALL), f.open(TABLET)]);
  }, 120_000);

  afterAll(() => f?.close(), 60_000);

  it('has a sign-in form without accessibility faults', async () => {
    await doctor.page.goto(`${f.baseUrl}/board/`);
    await doctor.page.locator('input[name=email]').waitFor({ timeout: 5000 });
    expect(axeFaults(await axeViolations(doctor.page))).toEqual([]);
  });

  it('turns a tile critical within 2 s of a hypertensive reading posted through the API, in words and shape as well as colour', async () => {
    await signIn(nurse.page, f.baseUrl, f.s.nurse.email, PASSWORD);
    await nurse.page.locator('#conn[data-connection=live]').waitFor({ timeout: 5000 });
    await tile(nurse, 'chair10').waitFor({ timeout: 5000 });
    expect((await post(`/sessions/${id.chair10}/vitals`, vitals({ systolic: 186, diastolic: 112 }))).status).toBe(201);
    const started = Date.now();
    await nurse.page.locator(`[data-session-id="${id.chair10}"][data-alarm=critical]`).waitFor({ timeout: 2000 });
    expect(Date.now() - started).toBeLessThan(2000);
    const critical = tile(nurse, 'chair10');
    await critical.locator('[data-testid=bp]', { hasText: '186/112' }).waitFor({ timeout: 2000 });
    const alarm = critical.locator('[data-testid=alarm]');
    await expect(alarm.textContent()).resolves.toContain('▲▲ CRITICAL');
    await expect(alarm.textContent()).resolves.toContain('SYS 186≥180');
    await expect(alarm.getAttribute('role')).resolves.toBe('status');
    await expect(alarm.getAttribute('aria-live')).resolves.toBe('assertive');
    // A nurse may not acknowledge a critical alert: the tile says who may.
    await expect(critical.locator('button[data-action=acknowledge]').count()).resolves.toBe(0);
    await expect(critical.locator('.hint').textContent()).resolves.toBe('needs an anesthesiologist');
    // Tiles are named for assistive technology by chair, patient initials and protocol.
    await nurse.page.getByRole('article', { name: /^Chair 10: MO, \d+ years, Ketamine IV/ }).waitFor({ timeout: 1000 });
  });

  it('lets an anesthesiologist sign in, acknowledge and resolve from a tablet by keyboard alone, the focus visible at every step', async () => {
    const { page } = doctor;
    // The sign-in form has the focus: type, Tab, type, Enter.
    await page.keyboard.type(f.s.anesthesiologist.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('#conn[data-connection=live]').waitFor({ timeout: 5000 });
    await tile(doctor, 'chair10').locator('button[data-action=acknowledge]').waitFor({ timeout: 5000 });

    const walk = await tabTo(page, `[data-session-id="${id.chair10}"] button[data-action=acknowledge]`);
    expect(walk.filter((w) => !w.visible)).toEqual([]);
    expect(walk.at(-1)!.what).toMatch(/^button "Acknowledge, critical alert, Chair 10: BP 186\/112: SYS 186≥180/);
    await page.keyboard.press('Enter');
    await tile(nurse, 'chair10').locator('[data-testid=ack]', { hasText: 'ack by Dr Ada Okafor' }).waitFor({ timeout: 2000 });
    await tile(doctor, 'chair10').locator('[data-testid=ack]', { hasText: 'ack by Dr Ada Okafor' }).waitFor({ timeout: 2000 });
    await page.screenshot({ path: join(ARTIFACTS, 'alerts-tablet-1024x768.png'), fullPage: true });
    await nurse.page.screenshot({ path: join(ARTIFACTS, 'alerts-wall-1920x1080.png') });
    const [acknowledged] = (await f.t.http.get(`/api/v1/alerts?sessionId=${id.chair10}`).set(bearer(f.s.token.nurse))).body.items;
    expect(acknowledged).toEqual(expect.objectContaining({ status: 'acknowledged', acknowledgedBy: f.s.anesthesiologist.id }));

    // The acknowledge button is gone with the redraw; the keyboard is on the same alert's Resolve.
    await page.locator(`[data-session-id="${id.chair10}"] button[data-action=resolve]:focus`).waitFor({ timeout: 2000 });
    await page.keyboard.press('Enter');
    const form = page.locator('dialog form.resolve-form');
    await form.locator('textarea[name=note]:focus').waitFor({ timeout: 2000 });
    // Sent without its note: refused, the message beside the field, the keyboard back in it.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await form.locator('[data-error-for=note]:not(:empty)').waitFor({ timeout: 2000 });
    await form.locator('textarea[name=note][aria-invalid=true]:focus').waitFor({ timeout: 2000 });
    expect(axeFaults(await axeViolations(page))).toEqual([]);
    await page.keyboard.type('Labetalol 10 mg IV; BP 150/90 at 5 min');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached', timeout: 2000 });
    await tile(nurse, 'chair10').locator('.alert[data-alert-id]').waitFor({ state: 'detached', timeout: 2000 });
    const alerts = await f.t.http.get(`/api/v1/alerts?sessionId=${id.chair10}`).set(bearer(f.s.token.nurse));
    expect(alerts.body.items).toEqual([
      expect.objectContaining({ status: 'resolved', resolutionNote: 'Labetalol 10 mg IV; BP 150/90 at 5 min' }),
    ]);
  });

  it('has no accessibility fault on the boards of a nurse and an anesthesiologist with an open critical alert', async () => {
    expect((await post(`/sessions/${id.chair2}/vitals`, vitals({ spo2: 85 }))).status).toBe(201);
    for (const v of [nurse, doctor]) await tile(v, 'chair2').locator('.alert[data-level=critical]').waitFor({ timeout: 2000 });
    await doctor.page.getByRole('button', { name: /^Acknowledge, critical alert, Chair 2: SpO2 85/ }).waitFor({ timeout: 1000 });
    for (const v of [nurse, doctor]) expect(axeFaults(await axeViolations(v.page))).toEqual([]);
    // The line saying what the board is not.
    await expect(nurse.page.getByRole('contentinfo').textContent()).resolves.toMatch(
      /Secondary display\. Vigil's board is not the monitor's alarm/,
    );
  });

  it('records a manual reading from the tile by keyboard; a refused value is named beside its field and nothing is stored', async () => {
    const { page } = nurse;
    const count = async () =>
      ((await f.t.http.get(`/api/v1/sessions/${id.chair2}/vitals`).set(bearer(f.s.token.nurse))).body.items as unknown[]).length;
    const before = await count();
    await tile(nurse, 'chair2').locator('button[data-action=vitals]').focus();
    await page.keyboard.press('Enter');
    const form = page.locator('dialog form.vitals-form');
    await form.locator('input[name=systolic]:focus').waitFor({ timeout: 2000 });
    for (const value of ['500', '82', '70', '97']) {
      await page.keyboard.type(value);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await form.locator('[data-error-for=systolic]:not(:empty)').waitFor({ timeout: 2000 });
    await form.locator('input[name=systolic][aria-invalid=true]:focus').waitFor({ timeout: 2000 });
    expect(await count()).toBe(before);
    expect(axeFaults(await axeViolations(page))).toEqual([]);
    await form.locator('input[name=systolic]').fill('128');
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached', timeout: 2000 });
    await tile(nurse, 'chair2').locator('[data-testid=bp]', { hasText: '128/82' }).waitFor({ timeout: 2000 });
    expect(await count()).toBe(before + 1);
  });

  it('opens a session’s detail: its timeline in the clinic’s time and the whole session’s chart; Esc closes it', async () => {
    const { page } = nurse;
    await tile(nurse, 'chair10').locator('button.chair').click();
    const detail = page.locator('[data-testid=detail]');
    await detail.locator('[data-testid=timeline] li').first().waitFor({ timeout: 5000 });
    const timeline = (await detail.locator('[data-testid=timeline]').textContent())!;
    expect(timeline).toContain('start → dosing');
    expect(timeline).toContain('BP 186/112');
    expect(timeline).toContain('alert acknowledged');
    expect(await paintedPixels(page, '[data-testid=detail] canvas')).toBeGreaterThan(100);
    const [firstTime] = await detail.locator('time').allTextContents();
    expect(wallClock(CLINIC_ZONE).map((hm) => hm.slice(0, 2))).toContain(firstTime.split(' ').at(-1)!.slice(0, 2));
    const shown = (await detail.textContent())!;
    for (const p of Object.values(PATIENTS)) expect(shown).not.toContain(p.lastName);
    expect(axeFaults(await axeViolations(page))).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'session-detail-1920x1080.png') });
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached', timeout: 2000 });
  });

  it('raised no page error, and no console error but the refusals the tests asked for', () => {
    expect(unexpectedErrors(f.viewers, /status of 400 /)).toEqual([]);
  });
});
