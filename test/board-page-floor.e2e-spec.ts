import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ageInYears, localDate } from '../libs/platform/src/index.js';
import { MovableClock } from './support/app.js';
import {
  ARTIFACTS,
  chromiumAvailable,
  paintedPixels,
  signIn,
  startBoardFloor,
  TABLET,
  unexpectedErrors,
  WALL,
  wallClock,
  type BoardFloor,
  type Viewer,
} from './support/board-page.js';
import { bearer, PASSWORD } from './support/factories.js';
import { seat, seatEsketamine } from './support/floor.js';
import { vitals } from './support/sessions.js';

// As the functions given to locator.evaluate see it in the browser.
declare const getComputedStyle: (el: unknown) => { color: string };

const CLINIC_ZONE = 'America/Los_Angeles';
const BROWSER_ZONE = 'America/New_York';
const PATIENTS = {
  chair10: { firstName: 'Marguerite', lastName: 'Okonkwo-Delacroix', dateOfBirth: '1979-02-11' },
  chair2: { firstName: 'Beatriz', lastName: 'Quintana', dateOfBirth: '1990-07-30' },
  chair5: { firstName: 'Tomasz', lastName: 'Wierzbicki', dateOfBirth: '1965-12-01' },
  chair3: { firstName: 'Ingrid', lastName: 'Halvorsen', dateOfBirth: '1972-03-19' },
};

/** "1:47:58" or "12:03" as milliseconds. */
const ms = (text: string) => text.split(':').reduce((total, part) => total * 60 + Number(part), 0) * 1000;

/*
 * The floor as the wall screen and a tablet show it, in Chromium: the page served, sign-in, a tile
 * per session in chair order with painted charts and no names, the clinic's time zone on a browser
 * in another, an esketamine session counted from its first device, and (time moved by the API's
 * clock) an overdue reading's badge and greyed values, cleared by the next reading.
 */
(chromiumAvailable() ? describe : describe.skip)('the wall board page in Chromium: the floor', () => {
  const clock = new MovableClock();
  let f: BoardFloor;
  let nurse: Viewer;
  const id: Record<keyof typeof PATIENTS, string> = { chair10: '', chair2: '', chair5: '', chair3: '' };
  const tile = (key: keyof typeof PATIENTS) => nurse.page.locator(`[data-session-id="${id[key]}"]`);
  const minutes = (m: number) => clock.advanceDays(m / (24 * 60));

  beforeAll(async () => {
    f = await startBoardFloor({ timeZone: CLINIC_ZONE, browserZone: BROWSER_ZONE, clock });
    id.chair10 = await seat(f.t.http, f.s, 'Chair 10', 'dosing', PATIENTS.chair10);
    id.chair2 = await seat(f.t.http, f.s, 'Chair 2', 'observation', PATIENTS.chair2);
    id.chair5 = await seat(f.t.http, f.s, 'Chair 5', 'ready', PATIENTS.chair5, 20);
    nurse = await f.open(WALL);
  }, 120_000);

  afterAll(() => f?.close(), 60_000);

  it('is served at /board with a strict policy of its own, its JavaScript under 80 kB gzip; its data carries no names', async () => {
    const http = f.t.http;
    const redirect = await http.get('/board');
    expect([redirect.status, redirect.headers['location']]).toEqual([302, '/board/']);
    const page = await http.get('/board/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script type="module" src="board.js">');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const gzipKb = gzipSync(readFileSync(join(process.cwd(), 'dist', 'board', 'board.js')), { level: 9 }).length / 1024;
    expect(gzipKb).toBeLessThan(80);

    const board = await http.get('/api/v1/board').set(bearer(f.s.token.nurse));
    expect(board.status).toBe(200);
    for (const p of Object.values(PATIENTS)) expect(board.text).not.toContain(p.lastName);
    expect((await http.get('/api/v1/board').set(bearer(f.s.token.admin))).status).toBe(403);
  });

  it('signs a nurse in and shows a tile per active session in chair order, with painted charts, stale values greyed and no names', async () => {
    const { page } = nurse;
    await signIn(page, f.baseUrl, f.s.nurse.email, 'not the password at all');
    await page.locator('#sign-in-error', { hasText: 'Email or password is not right.' }).waitFor({ timeout: 3000 });
    await signIn(page, f.baseUrl, f.s.nurse.email, PASSWORD);
    await page.locator('#conn[data-connection=live]').waitFor({ timeout: 5000 });
    await page.locator('[data-session-id]').nth(2).waitFor({ timeout: 5000 });
    expect(await page.locator('[data-session-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-chair')))).toEqual([
      'Chair 2',
      'Chair 5',
      'Chair 10',
    ]);
    for (const key of ['chair2', 'chair5', 'chair10'] as const)
      expect(await paintedPixels(page, `[data-session-id="${id[key]}"] canvas`)).toBeGreaterThan(100);

    const today = localDate(new Date(), CLINIC_ZONE);
    await expect(tile('chair2').locator('[data-testid=patient]').textContent()).resolves.toBe(
      `BQ · ${ageInYears(PATIENTS.chair2.dateOfBirth, today)} y`,
    );
    const html = await page.content();
    for (const p of Object.values(PATIENTS)) for (const name of [p.firstName, p.lastName]) expect(html).not.toContain(name);
    // The ready patient's only reading is 20 minutes old: greyed (and in italics), with its age, and the tile says so in words.
    const bp5 = tile('chair5').locator('[data-measure=bp]');
    await expect(bp5.getAttribute('data-stale')).resolves.toBe('true');
    await expect(tile('chair5').locator('[data-testid=bp-age]').textContent()).resolves.toBe('20 min');
    await expect(tile('chair5').locator('[data-testid=stale]').textContent()).resolves.toBe('stale: BP, HR, SpO2 (over 15 min)');
    await expect(tile('chair10').locator('[data-testid=stale]').isHidden()).resolves.toBe(true);
    const [fresh, stale] = await Promise.all(
      [tile('chair10'), tile('chair5')].map((t) => t.locator('[data-testid=bp]').evaluate((el) => getComputedStyle(el).color)),
    );
    expect(stale).not.toBe(fresh);
    await expect(tile('chair10').locator('[data-measure=bp]').getAttribute('data-stale')).resolves.toBeNull();
    await expect(tile('chair2').locator('[data-testid=countdown]').textContent()).resolves.toMatch(/^discharge eligible in (29|30):\d\d$/);
    await expect(tile('chair10').locator('[data-testid=timer]').textContent()).resolves.toMatch(/^dose start \+\d+:\d\d$/);
    await expect(tile('chair10').getAttribute('data-overdue')).resolves.toBeNull();
    await expect(page.locator('footer.disclaimer').textContent()).resolves.toContain("not the monitor's alarm");
  });

  it('shows the clinic’s time zone, not the browser’s, on the clock and the chart axes', async () => {
    const { page } = nurse;
    await expect(page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).resolves.toBe(BROWSER_ZONE);
    const clockText = (await page.locator('#clock').textContent())!.slice(0, 5);
    expect(wallClock(CLINIC_ZONE)).toContain(clockText);
    expect(wallClock(BROWSER_ZONE)).not.toContain(clockText);
    const hours = (zone: string) =>
      [0, 60].map((min) =>
        new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() - min * 60_000)),
      );
    const ticks = (await tile('chair10').locator('[data-testid=chart]').getAttribute('data-ticks'))!.split(' ');
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) expect(hours(CLINIC_ZONE)).toContain(tick.slice(0, 2));
  });

  it('counts an esketamine session from its first device: the time since it, and discharge eligibility 120 min after it (Spravato REMS)', async () => {
    id.chair3 = await seatEsketamine(f.t.http, f.s, 'Chair 3', PATIENTS.chair3, () => clock.now());
    await tile('chair3')
      .locator('[data-testid=timer]', { hasText: /^first device \+0:\d\d$/ })
      .waitFor({ timeout: 3000 });
    // Two devices five minutes apart, then observation: the count goes on from the first device, not from the end of dosing.
    minutes(12);
    const ended = await f.t.http.post(`/api/v1/sessions/${id.chair3}/end-dosing`).set(bearer(f.s.token.nurse)).send({});
    expect(ended.status).toBe(200);
    await tile('chair3').locator('[data-testid=phase]', { hasText: 'observation' }).waitFor({ timeout: 3000 });

    const board = await f.t.http.get('/api/v1/board').set(bearer(f.s.token.nurse));
    const data = (board.body.sessions as Array<Record<string, unknown>>).find((s) => s['sessionId'] === id.chair3) as {
      dosingStartedAt: string;
      observation: { from: string; minimumMin: number; eligibleAt: string };
    };
    expect(data.observation).toEqual({ from: data.dosingStartedAt, minimumMin: 120, eligibleAt: expect.any(String) });
    expect(Date.parse(data.observation.eligibleAt) - Date.parse(data.dosingStartedAt)).toBe(120 * 60_000);

    const [timer, countdown] = await Promise.all(
      ['timer', 'countdown'].map((k) => tile('chair3').locator(`[data-testid=${k}]`).textContent()),
    );
    const now = clock.now().getTime();
    expect(timer).toMatch(/^first device \+12:\d\d$/);
    expect(Math.abs(ms(timer!.replace('first device +', '')) - (now - Date.parse(data.dosingStartedAt)))).toBeLessThanOrEqual(2000);
    expect(countdown).toMatch(/^discharge eligible in 1:4[78]:\d\d$/);
    expect(
      Math.abs(ms(countdown!.replace('discharge eligible in ', '')) - (Date.parse(data.observation.eligibleAt) - now)),
    ).toBeLessThanOrEqual(2000);
  });

  it('marks a dosed session whose reading is late with an overdue badge and greyed values; the next reading clears both within 2 s', async () => {
    const { page } = nurse;
    // Chair 10 started dosing 12 minutes ago (readings every 10 min, 5 min of grace): 16 minutes on, its reading is overdue.
    minutes(4);
    await page.reload();
    await page.locator('#conn[data-connection=live]').waitFor({ timeout: 5000 });
    const badge = tile('chair10').locator('[data-testid=overdue]');
    await badge.waitFor({ state: 'visible', timeout: 3000 });
    await expect(badge.textContent()).resolves.toMatch(/^◷ vitals overdue · due [56] min ago$/);
    await expect(tile('chair10').getAttribute('data-overdue')).resolves.toBe('true');
    await expect(tile('chair10').locator('[data-measure=bp]').getAttribute('data-stale')).resolves.toBe('true');
    // Chair 2 is observed every 15 minutes from the end of its dosing: due, not overdue yet. Chair 5 is not dosed.
    for (const key of ['chair2', 'chair5', 'chair3'] as const)
      await expect(tile(key).locator('[data-testid=overdue]').isHidden()).resolves.toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'floor-wall-1920x1080.png') });
    await page.setViewportSize(TABLET);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'floor-tablet-1024x768.png'), fullPage: true });
    await page.setViewportSize(WALL);

    const posted = await f.t.http
      .post(`/api/v1/sessions/${id.chair10}/vitals`)
      .set(bearer(f.s.token.nurse))
      .send(vitals({ measuredAt: clock.now().toISOString(), systolic: 131, diastolic: 84 }));
    expect(posted.status).toBe(201);
    await tile('chair10').locator('[data-testid=bp]', { hasText: '131/84' }).waitFor({ timeout: 2000 });
    await badge.waitFor({ state: 'hidden', timeout: 2000 });
    await expect(tile('chair10').locator('[data-measure=bp]').getAttribute('data-stale')).resolves.toBeNull();
    await expect(tile('chair10').locator('[data-testid=stale]').isHidden()).resolves.toBe(true);
  });

  it('fits the tablet without sideways scrolling, and the charts follow the tile’s width', async () => {
    const { page } = nurse;
    await page.setViewportSize(TABLET);
    await page.waitForTimeout(300);
    const widths = await page.evaluate(`(() => ({
      page: document.documentElement.scrollWidth,
      view: window.innerWidth,
      overflowing: [...document.querySelectorAll('[data-session-id]')].filter((t) => t.querySelector('canvas').getBoundingClientRect().right > t.getBoundingClientRect().right).length,
    }))()`);
    expect(widths).toEqual({ page: TABLET.width, view: TABLET.width, overflowing: 0 });
    await page.setViewportSize(WALL);
  });

  it('raised no page error and no console error but the wrong password’s 401', () => {
    expect(unexpectedErrors(f.viewers, /status of 401 /)).toEqual([]);
  });
});
