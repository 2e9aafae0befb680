import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/app.js';
import {
  ARTIFACTS,
  chromiumAvailable,
  startBoardFloor,
  unexpectedErrors,
  type BoardFloor,
  type Viewer,
  nurseAndAnesthesiologist,
} from './support/board-page.js';
import { bearer } from './support/factories.js';
import { seat } from './support/floor.js';
import { vitals } from './support/sessions.js';

// The page's storage, as the functions given to page.evaluate see it in the browser.
declare const sessionStorage: { getItem(key: string): string | null };

const CLINIC_ZONE = 'America/Los_Angeles';
const BROWSER_ZONE = 'America/New_York';

/*
 * The page's connection, in Chromium: the API stopped for 10 s under it (reconnecting, then what
 * was missed replayed with Last-Event-ID), the device's network gone and back (offline, then live
 * and caught up), a reload that stays signed in, and signing out.
 */
(chromiumAvailable() ? describe : describe.skip)('the wall board page in Chromium: its connection', () => {
  let f: BoardFloor;
  let writer: TestApp;
  let nurse: Viewer;
  let doctor: Viewer;
  const id = { chair10: '', chair2: '' };
  const tile = (v: Viewer, key: keyof typeof id) => v.page.locator(`[data-session-id="${id[key]}"]`);
  const lastEventId = async () => {
    const [{ last }] = await writer.runtime.dataSource.query<Array<{ last: string }>>(
      'SELECT MAX(id)::text AS last FROM alert_events WHERE clinic_id = $1',
      [f.s.clinic.id],
    );
    return last;
  };
  /** The stream requests the page makes from now on, with the Last-Event-ID each sent. */
  const streamRequests = (v: Viewer) => {
    const sent: Array<string | undefined> = [];
    v.page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/board/stream')) sent.push(r.headers()['last-event-id']);
    });
    return sent;
  };

  beforeAll(async () => {
    f = await startBoardFloor({ timeZone: CLINIC_ZONE, browserZone: BROWSER_ZONE });
    // A second API process on the same database: it takes the writes while the first is down.
    writer = await startTestApp();
    id.chair10 = await seat(f.t.http, f.s, 'Chair 10', 'dosing', {
      firstName: 'Marguerite',
      lastName: 'Okonkwo',
      dateOfBirth: '1979-02-11',
    });
    id.chair2 = await seat(f.t.http, f.s, 'Chair 2', 'observation', {
      firstName: 'Beatriz',
      lastName: 'Quintana',
      dateOfBirth: '1990-07-30',
    });
    [nurse, doctor] = await nurseAndAnesthesiologist(f);
  }, 120_000);

  afterAll(async () => {
    await f?.close();
    await writer?.close();
  }, 60_000);

  it('shows reconnecting while the API is down for 10 s, then replays what it missed with Last-Event-ID', async () => {
    const { page } = nurse;
    const sent = streamRequests(nurse);
    // An alert before the outage: the pages know the stream's last event, and resume after it.
    const warning = await f.t.http
      .post(`/api/v1/sessions/${id.chair10}/vitals`)
      .set(bearer(f.s.token.nurse))
      .send(vitals({ systolic: 165, diastolic: 90 }));
    expect(warning.status).toBe(201);
    for (const v of [nurse, doctor]) await tile(v, 'chair10').locator('.alert[data-level=warning]').waitFor({ timeout: 2000 });
    const last = await lastEventId();
    // Requests that reach it while it closes are answered 503 SHUTTING_DOWN in Vigil's error shape.
    await f.stopApi();
    const down = Date.now();
    await page.locator('#conn[data-connection=reconnecting]').waitFor({ timeout: 5000 });
    // Written through the other API process while this one is down: an SpO2 of 85 is critical.
    const posted = await writer.http
      .post(`/api/v1/sessions/${id.chair2}/vitals`)
      .set(bearer(f.s.token.nurse))
      .send(vitals({ spo2: 85 }));
    expect(posted.status).toBe(201);
    await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - down))));
    await expect(page.locator('#conn').getAttribute('data-connection')).resolves.not.toBe('live');
    await expect(page.locator('#conn').textContent()).resolves.toMatch(/^◐ reconnecting since \d\d:\d\d$/);
    await f.startApi();
    await page.locator('#conn[data-connection=live]').waitFor({ timeout: 20_000 });
    await page.locator(`[data-session-id="${id.chair2}"][data-alarm=critical]`).waitFor({ timeout: 3000 });
    await tile(nurse, 'chair2').locator('[data-testid=spo2]', { hasText: '85' }).waitFor({ timeout: 2000 });
    expect(sent.at(-1)).toBe(last);
    await page.screenshot({ path: join(ARTIFACTS, 'connection-after-restart-1920x1080.png') });
  }, 60_000);

  it('says offline as soon as the device loses its network, and is live and caught up once it is back', async () => {
    const { page, context } = doctor;
    const sent = streamRequests(doctor);
    const last = await lastEventId();
    await context.setOffline(true);
    await page.locator('#conn[data-connection=offline]').waitFor({ timeout: 2000 });
    await expect(page.locator('#conn').textContent()).resolves.toMatch(/^○ offline since \d\d:\d\d$/);
    // Meanwhile the floor goes on: a hypertensive reading in chair 10.
    const posted = await f.t.http
      .post(`/api/v1/sessions/${id.chair10}/vitals`)
      .set(bearer(f.s.token.nurse))
      .send(vitals({ systolic: 186, diastolic: 112 }));
    expect(posted.status).toBe(201);
    await page.waitForTimeout(3000);
    await expect(page.locator('#conn').getAttribute('data-connection')).resolves.toBe('offline');
    await expect(tile(doctor, 'chair10').getAttribute('data-alarm')).resolves.not.toBe('critical');
    await page.screenshot({ path: join(ARTIFACTS, 'connection-offline-1024x768.png') });
    await context.setOffline(false);
    await page.locator('#conn[data-connection=live]').waitFor({ timeout: 5000 });
    await page.locator(`[data-session-id="${id.chair10}"][data-alarm=critical]`).waitFor({ timeout: 2000 });
    await doctor.page.getByRole('button', { name: /^Acknowledge, critical alert, Chair 10: BP 186\/112/ }).waitFor({ timeout: 2000 });
    // It resumed after an event it had (the last one stored before the outage, or one just before it
    // when that one was still on its way), and the reading of the outage was replayed (above).
    expect(Number(sent.at(-1))).toBeGreaterThan(0);
    expect(Number(sent.at(-1))).toBeLessThanOrEqual(Number(last));
  });

  it('stays signed in across a reload; signing out ends the login and shows the sign-in form', async () => {
    const { page } = doctor;
    await page.reload();
    await page.locator('#conn[data-connection=live]').waitFor({ timeout: 5000 });
    const refreshToken = await page.evaluate(() => sessionStorage.getItem('vigil.board.refresh'));
    expect(refreshToken).toEqual(expect.any(String));
    await page.locator('#sign-out').click();
    await page.locator('input[name=email]:focus').waitFor({ timeout: 2000 });
    await expect(page.locator('#sign-in-error').textContent()).resolves.toBe('');
    await expect(page.locator('[data-session-id]').count()).resolves.toBe(0);
    await expect(page.evaluate(() => sessionStorage.getItem('vigil.board.refresh'))).resolves.toBeNull();
    const refused = await f.t.http.post('/api/v1/auth/refresh').send({ refreshToken });
    expect(refused.status).toBe(401);
  });

  it('raised no page error, and no console error but those of the restart and the lost network', () => {
    // The restart: requests the stopping API still took are answered 503 SHUTTING_DOWN, then its port refuses them.
    // The reload and the sign-out: a read already on its way when the login is rotated or ended may be answered 401
    // (the page then signs in again or shows the sign-in form, as the tests above check).
    const expected =
      /ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|status of 503 \(Service Unavailable\)|status of 401 \(Unauthorized\)/;
    expect(unexpectedErrors(f.viewers, expected)).toEqual([]);
  });
});
