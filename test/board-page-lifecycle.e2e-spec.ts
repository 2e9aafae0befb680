import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { MovableClock } from './support/app.js';
import {
  ARTIFACTS,
  axeViolations,
  chromiumAvailable,
  startBoardFloor,
  unexpectedErrors,
  type BoardFloor,
  type Viewer,
  axeFaults,
  nurseAndAnesthesiologist,
} from './support/board-page.js';
import { bearer } from './support/factories.js';
import { seat } from './support/floor.js';
import { ADDRESS, product, receive, registration } from './support/ledger.js';

const CLINIC_ZONE = 'America/Chicago';
const BROWSER_ZONE = 'Europe/Lisbon';
const PATIENTS = {
  chair4: { firstName: 'Oluwaseun', lastName: 'Adeyemi-Fairbanks', dateOfBirth: '1983-05-14' },
  chair6: { firstName: 'Henrike', lastName: 'Vasquez-Lindqvist', dateOfBirth: '1968-10-02' },
  // A dose drawn from the ledger's stock records where the patient lives.
  chair8: { firstName: 'Teodoro', lastName: 'Blažević', dateOfBirth: '1994-01-27', address: ADDRESS },
};

/*
 * A morning at the chairs from the board alone, in Chromium: a nurse starts a ready session from its
 * tile by keyboard (a missing lot refused beside its field, a stale baseline refused by the
 * pre-session gate in words, nothing stored either time), the tile turning "dosing" within 2 s on
 * the wall screen and an anesthesiologist's tablet; a clinic keeping its controlled substances in
 * Vigil draws the dose from a container it picks; dosing ends (early: a reason asked for); the
 * nurse charts an observation check (a CADSS-6 total out of range refused beside its field) and,
 * once the API's clock has moved past the minimum observation, vitals with the MOAA/S, then
 * discharges: the whole path from the board, every dialog without an axe fault.
 */
(chromiumAvailable() ? describe : describe.skip)('the wall board page in Chromium: a session’s life from its tile', () => {
  const clock = new MovableClock();
  let f: BoardFloor;
  let nurse: Viewer;
  let doctor: Viewer;
  const id: Record<keyof typeof PATIENTS, string> = { chair4: '', chair6: '', chair8: '' };
  const tile = (v: Viewer, key: keyof typeof PATIENTS) => v.page.locator(`[data-session-id="${id[key]}"]`);
  const session = async (key: keyof typeof PATIENTS) =>
    (await f.t.http.get(`/api/v1/sessions/${id[key]}`).set(bearer(f.s.token.nurse))).body as {
      status: string;
      dosingStartedAt: string | null;
      dosingEndedAt: string | null;
      dose: { mgPerKg: number | null; concentrationMgPerMl: number | null };
      timeline: Array<{ type: string; data: Record<string, unknown> }>;
    };
  const checks = async (key: keyof typeof PATIENTS) => (await session(key)).timeline.filter((e) => e.type === 'observation-check');
  const minutes = (m: number) => clock.advanceDays(m / (24 * 60));
  /** Both screens show the tile in `status` within 2 s. */
  const bothShow = async (key: keyof typeof PATIENTS, status: string) => {
    const started = Date.now();
    for (const v of [nurse, doctor])
      await tile(v, key)
        .locator(`[data-testid=phase][data-status=${status}]`)
        .waitFor({ timeout: 2000 - (Date.now() - started) });
    expect(Date.now() - started).toBeLessThan(2000);
  };
  const shot = (page: Page, name: string) => page.locator('dialog').screenshot({ path: join(ARTIFACTS, name) });

  beforeAll(async () => {
    f = await startBoardFloor({ timeZone: CLINIC_ZONE, browserZone: BROWSER_ZONE, clock });
    id.chair4 = await seat(f.t.http, f.s, 'Chair 4', 'ready', PATIENTS.chair4);
    id.chair6 = await seat(f.t.http, f.s, 'Chair 6', 'ready', PATIENTS.chair6, 45);
    id.chair8 = await seat(f.t.http, f.s, 'Chair 8', 'ready', PATIENTS.chair8);
    [nurse, doctor] = await nurseAndAnesthesiologist(f);
  }, 120_000);

  afterAll(() => f?.close(), 60_000);

  it('offers the next step of each ready session to nurses and anesthesiologists alike', async () => {
    for (const v of [nurse, doctor])
      for (const key of ['chair4', 'chair6', 'chair8'] as const)
        await tile(v, key).locator('button[data-action=start]', { hasText: 'Start dosing…' }).waitFor({ timeout: 3000 });
    await nurse.page.getByRole('button', { name: 'Start dosing, Chair 4' }).waitFor({ timeout: 1000 });
    await expect(tile(nurse, 'chair4').locator('button[data-action=end], button[data-action=discharge]').count()).resolves.toBe(0);
  });

  it('refuses a start without its lot beside the field, and a stale baseline in words; nothing is stored', async () => {
    const { page } = nurse;
    await tile(nurse, 'chair6').locator('button[data-action=start]').click();
    const gated = page.locator('dialog form.start-form');
    await gated.locator('input[name=lotNumber]').fill('LOT-2026-11');
    await gated.locator('button[type=submit]').click();
    const general = gated.locator('[data-error-for=form]');
    await general.locator('li').first().waitFor({ timeout: 3000 });
    await expect(general.textContent()).resolves.toMatch(/^The session cannot start\..*no complete baseline .* in the last 30 minutes/);
    expect(axeFaults(await axeViolations(page, 'dialog'))).toEqual([]);
    await shot(page, 'lifecycle-start-refused-gate.png');
    await page.keyboard.press('Escape');
    await gated.waitFor({ state: 'detached', timeout: 2000 });
    expect(await session('chair6')).toEqual(expect.objectContaining({ status: 'ready', dosingStartedAt: null }));

    // By keyboard: the tile's button, the dose, the bag, no lot, then Start dosing.
    await tile(nurse, 'chair4').locator('button[data-action=start]').focus();
    await page.keyboard.press('Enter');
    const form = page.locator('dialog form.start-form');
    await form.locator('input[name=doseMgPerKg]:focus').waitFor({ timeout: 3000 });
    await expect(form.locator('select[name=containerId]').count()).resolves.toBe(0);
    await page.keyboard.type('0.5');
    await page.keyboard.press('Tab');
    await page.keyboard.type('1');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await form.locator('[data-error-for=lotNumber]:not(:empty)').waitFor({ timeout: 2000 });
    await form.locator('input[name=lotNumber][aria-invalid=true]:focus').waitFor({ timeout: 2000 });
    expect(await session('chair4')).toEqual(expect.objectContaining({ status: 'ready', dosingStartedAt: null }));
    await expect(tile(nurse, 'chair4').locator('[data-testid=phase]').textContent()).resolves.toBe('ready to dose');
    expect(axeFaults(await axeViolations(page, 'dialog'))).toEqual([]);
    await shot(page, 'lifecycle-start-refused-lot.png');
  });

  it('starts dosing from the tile: both screens show it dosing within 2 s', async () => {
    const { page } = nurse;
    const form = page.locator('dialog form.start-form');
    await page.keyboard.type('LOT-2026-11');
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached', timeout: 2000 });
    await bothShow('chair4', 'dosing');
    await tile(nurse, 'chair4').locator('button[data-action=end]', { hasText: 'End dosing…' }).waitFor({ timeout: 1000 });
    const s = await session('chair4');
    expect(s).toEqual(expect.objectContaining({ status: 'dosing', dosingStartedAt: expect.any(String) }));
    expect(s.dose).toEqual(expect.objectContaining({ mgPerKg: 0.5, concentrationMgPerMl: 1 }));
  });

  it('draws the dose from a container the nurse picks once the clinic keeps its controlled substances in Vigil', async () => {
    const reg = await registration(f.t.http, f.s);
    const [vial] = await receive(f.t.http, f.s, reg.id, await product(f.t.http, f.s, { mgPerMl: 50 }), 1);
    const { page } = nurse;
    await tile(nurse, 'chair8').locator('button[data-action=start]').click();
    const form = page.locator('dialog form.start-form');
    const select = form.locator('select[name=containerId]');
    await select.waitFor({ timeout: 3000 });
    await expect(form.locator('input[name=lotNumber]').count()).resolves.toBe(0);
    // Sent without a container: refused beside the field, nothing drawn.
    await form.locator('button[type=submit]').click();
    await form.locator('[data-error-for=containerId]:not(:empty)').waitFor({ timeout: 2000 });
    expect(axeFaults(await axeViolations(page, 'dialog'))).toEqual([]);
    await select.selectOption(vial);
    await shot(page, 'lifecycle-start-container.png');
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'detached', timeout: 3000 });
    await bothShow('chair8', 'dosing');
    const containers = await f.t.http.get('/api/v1/ledger/containers').set(bearer(f.s.token.nurse));
    expect(containers.body.items).toEqual([expect.objectContaining({ id: vial, status: 'open' })]);
  });

  it('ends dosing with a confirmation: an early end asks for its reason first', async () => {
    const { page } = nurse;
    await tile(nurse, 'chair4').locator('button[data-action=end]').focus();
    await page.keyboard.press('Enter');
    const form = page.locator('dialog form.end-form');
    await form.locator('textarea[name=reason]:focus').waitFor({ timeout: 2000 });
    await expect(form.locator('.what').textContent()).resolves.toMatch(
      /dosing since \d\d:\d\d \(0:\d\d\)\. The patient goes into observation\./,
    );
    await form.locator('button[type=submit]').click();
    await form.locator('[data-error-for=reason]', { hasText: /^dosing ends \d+ min early;.*: say why$/ }).waitFor({ timeout: 2000 });
    await form.locator('textarea[name=reason][aria-invalid=true]:focus').waitFor({ timeout: 2000 });
    expect(await session('chair4')).toEqual(expect.objectContaining({ status: 'dosing', dosingEndedAt: null }));
    expect(axeFaults(await axeViolations(page, 'dialog'))).toEqual([]);
    await page.keyboard.type('nausea; stopped early');
    await shot(page, 'lifecycle-end-dosing.png');
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'detached', timeout: 2000 });
    await bothShow('chair4', 'observation');
    await tile(doctor, 'chair4').locator('button[data-action=discharge]', { hasText: 'Discharge…' }).waitFor({ timeout: 1000 });
  });

  it('charts an observation check from the tile: a CADSS-6 total of 30 refused beside its field, nothing stored', async () => {
    // Offered from dosing until discharge, to both roles; not before dosing.
    for (const v of [nurse, doctor]) await tile(v, 'chair8').locator('button[data-action=observation]:visible').waitFor({ timeout: 1000 });
    await expect(tile(nurse, 'chair6').locator('button[data-action=observation]:visible').count()).resolves.toBe(0);
    const { page } = nurse;
    await tile(nurse, 'chair4').getByRole('button', { name: 'Observation check, Chair 4' }).focus();
    await page.keyboard.press('Enter');
    const form = page.locator('dialog form.observation-form');
    await form.locator('input[name=dissociation][value=resolved]:focus').waitFor({ timeout: 2000 });
    // By keyboard: Space answers a question, Tab goes to the next.
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('30');
    for (const question of ['nausea', 'oriented', 'gait']) {
      await page.keyboard.press('Tab');
      await form.locator(`input[name=${question}]:focus`).waitFor({ timeout: 1000 });
      await page.keyboard.press('Space');
    }
    await form.locator('button[type=submit]').click();
    await form.locator('[data-error-for=cadss6Total]:not(:empty)').waitFor({ timeout: 2000 });
    await form.locator('input[name=cadss6Total][aria-invalid=true]:focus').waitFor({ timeout: 2000 });
    expect(await checks('chair4')).toEqual([]);
    expect(axeFaults(await axeViolations(page, 'dialog'))).toEqual([]);
    await shot(page, 'observation-check-refused.png');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached', timeout: 2000 });
    expect((await checks('chair4')).map((e) => e.data)).toEqual([
      expect.objectContaining({ dissociation: 'resolved', cadss6Total: 2, nausea: 'none', oriented: true, gait: 'steady', note: null }),
    ]);
  });

  it('refuses a discharge before it is due in words, an unticked item beside its box; discharges once eligible', async () => {
    const { page } = nurse;
    const form = page.locator('dialog form.discharge-form');
    const open = async () => {
      await tile(nurse, 'chair4').locator('button[data-action=discharge]').focus();
      await page.keyboard.press('Enter');
      await form.locator('input[name=alertAndOriented]:focus').waitFor({ timeout: 2000 });
    };
    /** Ticks the first `n` boxes by keyboard (Space, Tab), leaving the focus after them. */
    const tick = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await page.keyboard.press('Space');
        await page.keyboard.press('Tab');
      }
    };
    await open();
    await expect(form.locator('.what').textContent()).resolves.toMatch(/eligible at \d\d:\d\d, in 2\d:\d\d$/);
    await tick(4);
    await form.locator('button[type=submit]').click();
    await form.locator('[data-error-for=drivingInstructionGiven]:not(:empty)').waitFor({ timeout: 2000 });
    const general = (await form.locator('[data-error-for=form]').textContent())!;
    expect(general).toMatch(/^The patient cannot be discharged yet\./);
    expect(general).toMatch(/\d+ min of the 30-min minimum observation remain/);
    expect(general).toContain('no blood pressure measured since the end of dosing');
    expect(await session('chair4')).toEqual(expect.objectContaining({ status: 'observation' }));
    expect(axeFaults(await axeViolations(page, 'dialog'))).toEqual([]);
    await shot(page, 'lifecycle-discharge-refused.png');
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached', timeout: 2000 });

    // Half an hour on, vitals with the MOAA/S from the tile (a score of 6 refused beside its field): eligible.
    minutes(31);
    await tile(nurse, 'chair4').locator('button[data-action=vitals]').click();
    const reading = page.locator('dialog form.vitals-form');
    for (const [name, value] of Object.entries({ systolic: '122', diastolic: '78', heartRate: '72', spo2: '98', moaas: '6' }))
      await reading.locator(`input[name=${name}]`).fill(value);
    await reading.locator('button[type=submit]').click();
    await reading.locator('input[name=moaas][aria-invalid=true]:focus').waitFor({ timeout: 2000 });
    await expect(reading.locator('[data-error-for=moaas]').textContent()).resolves.toMatch(/5/);
    await page.keyboard.press('Backspace');
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await reading.waitFor({ state: 'detached', timeout: 2000 });
    await tile(nurse, 'chair4').locator('[data-testid=phase]', { hasText: 'ready for discharge' }).waitFor({ timeout: 3000 });
    await open();
    await expect(form.locator('.what').textContent()).resolves.toMatch(/eligible since \d\d:\d\d$/);
    await tick(5);
    await page.keyboard.type('Escort: sister');
    await shot(page, 'lifecycle-discharge.png');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached', timeout: 2000 });
    const started = Date.now();
    for (const v of [nurse, doctor]) await tile(v, 'chair4').waitFor({ state: 'detached', timeout: 2000 - (Date.now() - started) });
    expect(await session('chair4')).toEqual(expect.objectContaining({ status: 'discharged' }));
  });

  it('raised no page error, and no console error but the refusals the tests asked for', () => {
    expect(unexpectedErrors(f.viewers, /status of (400|422) /)).toEqual([]);
  });
});
