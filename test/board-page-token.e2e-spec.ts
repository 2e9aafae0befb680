import {
  chromiumAvailable,
  signIn,
  startBoardFloor,
  TABLET,
  unexpectedErrors,
  WALL,
  type BoardFloor,
  type Viewer,
} from './support/board-page.js';
import { bearer, login, PASSWORD } from './support/factories.js';
import { seat } from './support/floor.js';
import { vitals } from './support/sessions.js';

// As the functions given to page.evaluate see them in the browser.
declare const sessionStorage: { getItem(key: string): string | null };
declare const document: { querySelector(s: string): { getAttribute(name: string): string | null } };
declare const MutationObserver: new (cb: () => void) => { observe(target: unknown, opts: object): void };
declare const window: Record<string, unknown>;

const ENDED = 'Your sign-in has ended (signed out elsewhere, or the password changed); please sign in again.';

/*
 * The page's login over time, in Chromium, with access tokens that live one minute: the page
 * refreshes its token before it expires and its stream goes on (the server ends the old token's
 * stream; the page reconnects with the new one and Last-Event-ID, never leaving "live"); a login
 * ended elsewhere, or ended by a new password, brings the sign-in form back saying why.
 */
(chromiumAvailable() ? describe : describe.skip)('the wall board page in Chromium: its login over time', () => {
  let f: BoardFloor;
  let nurse: Viewer;
  let doctor: Viewer;
  let chair10 = '';
  /** A fresh access token of the nurse: the ones of the set-up last a minute. */
  const nurseToken = async () => (await login(f.t.http, f.s.nurse.email)).accessToken;

  beforeAll(async () => {
    f = await startBoardFloor({ timeZone: 'America/Chicago', browserZone: 'Europe/Lisbon', env: { ACCESS_TOKEN_TTL_MIN: '1' } });
    chair10 = await seat(f.t.http, f.s, 'Chair 10', 'dosing', { firstName: 'Marguerite', lastName: 'Okonkwo', dateOfBirth: '1979-02-11' });
    [nurse, doctor] = await Promise.all([f.open(WALL), f.open(TABLET)]);
  }, 120_000);

  afterAll(() => f?.close(), 60_000);

  it('refreshes its one-minute token before it expires; its stream goes on with the new one and misses nothing', async () => {
    const { page } = nurse;
    const refreshes: number[] = [];
    const streams: Array<{ lastEventId: string | undefined; bearer: string }> = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/api/v1/auth/refresh')) refreshes.push(r.status());
    });
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/board/stream'))
        streams.push({ lastEventId: r.headers()['last-event-id'], bearer: r.headers()['authorization'] ?? '' });
    });
    await signIn(page, f.baseUrl, f.s.nurse.email, PASSWORD);
    await page.locator('#conn[data-connection=live]').waitFor({ timeout: 5000 });
    const signedInAt = Date.now();
    // Every state the connection badge takes from now on.
    await page.evaluate(() => {
      const states: string[] = [];
      window['connectionStates'] = states;
      const conn = document.querySelector('#conn');
      new MutationObserver(() => states.push(conn.getAttribute('data-connection') ?? '')).observe(conn, { attributes: true });
    });
    // An alert event before the token expires, so the stream has an id to resume from.
    const warning = await f.t.http
      .post(`/api/v1/sessions/${chair10}/vitals`)
      .set(bearer(await nurseToken()))
      .send(vitals({ systolic: 165, diastolic: 90 }));
    expect(warning.status).toBe(201);
    await page.locator(`[data-session-id="${chair10}"][data-alarm=warning]`).waitFor({ timeout: 2000 });

    // The token was issued at sign-in; the server ends its stream when it expires, a minute later.
    while (streams.length < 2 && Date.now() - signedInAt < 80_000) await page.waitForTimeout(500);
    expect(streams.length).toBe(2);
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    expect(refreshes.every((status) => status === 200)).toBe(true);
    expect(streams[1].bearer).not.toBe(streams[0].bearer);
    const [{ last }] = await f.t.runtime.dataSource.query<Array<{ last: string }>>(
      'SELECT MAX(id)::text AS last FROM alert_events WHERE clinic_id = $1',
      [f.s.clinic.id],
    );
    expect(streams[1].lastEventId).toBe(last);

    const critical = await f.t.http
      .post(`/api/v1/sessions/${chair10}/vitals`)
      .set(bearer(await nurseToken()))
      .send(vitals({ systolic: 186, diastolic: 112 }));
    expect(critical.status).toBe(201);
    await page.locator(`[data-session-id="${chair10}"][data-alarm=critical]`).waitFor({ timeout: 2000 });
    await expect(page.evaluate(() => window['connectionStates'])).resolves.toEqual([]);
    await expect(page.locator('#conn').getAttribute('data-connection')).resolves.toBe('live');
  }, 120_000);

  it('brings the sign-in form back, saying why, when its login was ended elsewhere', async () => {
    const { page } = nurse;
    const refreshToken = await page.evaluate(() => sessionStorage.getItem('vigil.board.refresh'));
    expect((await f.t.http.post('/api/v1/auth/logout').send({ refreshToken })).status).toBe(204);
    // The next change on the floor has the page read it with a token of the ended login.
    const posted = await f.t.http
      .post(`/api/v1/sessions/${chair10}/vitals`)
      .set(bearer(await nurseToken()))
      .send(vitals());
    expect(posted.status).toBe(201);
    await page.locator('#sign-in-error', { hasText: ENDED }).waitFor({ timeout: 3000 });
    await expect(page.locator('[data-session-id]').count()).resolves.toBe(0);
    await expect(page.locator('#sign-in').isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => sessionStorage.getItem('vigil.board.refresh'))).resolves.toBeNull();
  });

  it('brings the sign-in form back, saying why, within 2 s of its user’s new password set elsewhere', async () => {
    const { page } = doctor;
    await signIn(page, f.baseUrl, f.s.anesthesiologist.email, PASSWORD);
    await page.locator('#conn[data-connection=live]').waitFor({ timeout: 5000 });
    const elsewhere = await login(f.t.http, f.s.anesthesiologist.email);
    const changed = await f.t.http
      .post('/api/v1/auth/password')
      .set(bearer(elsewhere.accessToken))
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase for the floor' });
    expect(changed.status).toBe(204);
    await page.locator('#sign-in-error', { hasText: ENDED }).waitFor({ timeout: 2000 });
    await expect(page.locator('[data-session-id]').count()).resolves.toBe(0);
    await page.locator('input[name=email]:focus').waitFor({ timeout: 1000 });
  });

  it('raised no page error, and no console error but the ended logins’ refusals', () => {
    expect(unexpectedErrors(f.viewers, /status of 401 /)).toEqual([]);
  });
});
