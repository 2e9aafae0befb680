import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Clock } from '../../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './app.js';
import { PASSWORD, type Staff } from './factories.js';
import { floorStaff } from './floor.js';

/*
 * What the wall board page's browser tests share (test/board-page-*.e2e-spec.ts): the page built
 * and the whole API listening on a port, a clinic's staff, Debian's Chromium driven by
 * playwright-core, pages that record their errors, and the checks run in the page (painted
 * canvases, the keyboard's walk, axe-core).
 */

/** Debian's Chromium (apt-get install chromium); playwright-core drives it and downloads no browser of its own. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');

/** Builds the page into dist/board, where the API serves it from (as npm run build does). */
export function buildBoardPage(): void {
  execFileSync(process.execPath, [join(process.cwd(), 'apps', 'board', 'build.mjs')], { stdio: 'pipe' });
  mkdirSync(ARTIFACTS, { recursive: true });
}

/** Chromium can run here; in CI it must (.ci/run installs it). */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['CI']) throw new Error(`no Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium`);
  console.warn(`board page browser tests SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The two screens the board is made for: a wall screen across the room, and a tablet. */
export const WALL = { width: 1920, height: 1080 };
export const TABLET = { width: 1024, height: 768 };

export interface Viewer {
  context: BrowserContext;
  page: Page;
  errors: string[];
  consoleErrors: string[];
}

/** A page of a fresh context (its own storage) that records page errors and console errors. */
export async function openPage(
  browser: Browser,
  opts: { timezoneId: string; viewport: { width: number; height: number } },
): Promise<Viewer> {
  const context = await browser.newContext({ timezoneId: opts.timezoneId, viewport: opts.viewport, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The resource's address too: "status of 404" alone does not say which read failed.
    if (m.type() === 'error') consoleErrors.push(`${m.text()} at ${new URL(m.location().url || 'about:blank').pathname}`);
  });
  return { context, page, errors, consoleErrors };
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/board/`);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('#sign-in-form button[type=submit]').click();
}

/** How many pixels of the canvas in `selector` are painted (-1: no such canvas). */
export function paintedPixels(page: Page, selector: string): Promise<number> {
  // Run in the page, as text: the tests are compiled without the DOM's types.
  return page.evaluate(`(() => {
    const canvas = document.querySelector(${JSON.stringify(selector)});
    if (!canvas) return -1;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]) n++;
    return n;
  })()`);
}

/** HH:MM now in `timeZone`, and a minute ago (the clock may have turned between the two reads). */
export function wallClock(timeZone: string): string[] {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return [f.format(new Date()), f.format(new Date(Date.now() - 60_000))];
}

export interface BoardFloor {
  t: TestApp;
  s: Staff;
  port: number;
  baseUrl: string;
  browser: Browser;
  /** A page of its own context, in `timezoneId` (the browser's zone, not the clinic's). */
  open(viewport: { width: number; height: number }, timezoneId?: string): Promise<Viewer>;
  /** The API stopped: its port refuses connections. */
  stopApi(): Promise<void>;
  /** The API started again on the same port, with the same settings. */
  startApi(): Promise<void>;
  viewers: Viewer[];
  close(): Promise<void>;
}

/**
 * The page built, the whole API listening on 127.0.0.1 (`env` overrides its settings, `clock` its
 * time), a clinic in `timeZone` with one user per role, and Chromium.
 */
export async function startBoardFloor(opts: {
  timeZone: string;
  browserZone: string;
  env?: Record<string, string>;
  clock?: Clock;
}): Promise<BoardFloor> {
  buildBoardPage();
  const t = await startTestApp(opts.env, { clock: opts.clock });
  await t.app.listen(0, '127.0.0.1');
  const port = (t.app.getHttpServer().address() as AddressInfo).port;
  const s = await floorStaff(t.runtime.dataSource, t.http, opts.timeZone);
  const browser = await launchChromium();
  const viewers: Viewer[] = [];
  const floor: BoardFloor = {
    t,
    s,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    viewers,
    async open(viewport, timezoneId = opts.browserZone) {
      const v = await openPage(browser, { timezoneId, viewport });
      viewers.push(v);
      return v;
    },
    async stopApi() {
      await floor.t.close();
    },
    async startApi() {
      floor.t = await startTestApp(opts.env, { clock: opts.clock });
      await floor.t.app.listen(port, '127.0.0.1');
    },
    async close() {
      await Promise.all(viewers.map((v) => v.context.close()));
      await browser.close();
      await floor.t.close();
    },
  };
  return floor;
}

/** Chromium logs every 4xx answer as a console error: those a test asked for are named by `expected`. */
export function unexpectedErrors(viewers: Viewer[], expected: RegExp | null = null): string[] {
  return viewers.flatMap((v) => [
    ...v.errors.map((e) => `page error: ${e}`),
    ...v.consoleErrors.filter((e) => !expected?.test(e)).map((e) => `console: ${e}`),
  ]);
}

const AXE = join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core run in the page (WCAG 2.0/2.1/2.2 A and AA rules, and best practices): its violations.
 * The script is evaluated through the DevTools protocol, which the page's policy does not govern.
 */
export async function axeViolations(page: Page, within = 'body'): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(readFileSync(AXE, 'utf8'));
  const result = await page.evaluate<{
    passed: number;
    violations: AxeViolation[];
  }>(`axe.run(document.querySelector(${JSON.stringify(within)}), { resultTypes: ['violations'] }).then((r) => ({
    passed: r.passes.length,
    violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })),
  }))`);
  // A run that checked nothing proves nothing.
  if (result.passed < 10) throw new Error(`axe-core passed only ${result.passed} rules: did it run on the page?`);
  return result.violations;
}

/** The focused element: a short description, whether its focus is visible (an outline of 2 px or more), and whether it matches `selector`. */
export function focused(page: Page, selector = '*'): Promise<{ what: string; visible: boolean; match: boolean } | null> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const visible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const label = el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40);
    return { what: el.tagName.toLowerCase() + ' "' + label + '"', visible, match: el.matches(${JSON.stringify(selector)}) };
  })()`);
}

/**
 * Presses Tab until the focused element matches `selector` (at most `max` presses), as a
 * keyboard-only user does. Returns the walk: each element focused on the way, and whether its focus showed.
 */
export async function tabTo(page: Page, selector: string, max = 60): Promise<Array<{ what: string; visible: boolean }>> {
  const walk: Array<{ what: string; visible: boolean }> = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page, selector);
    if (!f) continue;
    walk.push({ what: f.what, visible: f.visible });
    if (f.match) return walk;
  }
  throw new Error(`${max} presses of Tab never reached ${selector}: ${walk.map((w) => w.what).join(' → ')}`);
}

/** Axe's findings as one line each (impact, rule, help, where), for an assertion that prints them. */
export const axeFaults = (violations: AxeViolation[]): string[] =>
  violations.map((v) => `${v.impact ?? ''} ${v.id}: ${v.help} (${v.targets.join(', ')})`);

/** The floor's nurse on the wall screen and its anesthesiologist on a tablet, both signed in and live. */
export async function nurseAndAnesthesiologist(f: BoardFloor): Promise<[Viewer, Viewer]> {
  const [nurse, doctor] = await Promise.all([f.open(WALL), f.open(TABLET)]);
  await signIn(nurse.page, f.baseUrl, f.s.nurse.email, PASSWORD);
  await signIn(doctor.page, f.baseUrl, f.s.anesthesiologist.email, PASSWORD);
  for (const v of [nurse, doctor]) await v.page.locator('#conn[data-connection=live]').waitFor({ timeout: 5000 });
  return [nurse, doctor];
}
