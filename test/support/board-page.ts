import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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

/** A page of a fresh context (its own storage) that records page errors and console errors. */
export async function openPage(
  browser: Browser,
  opts: { timezoneId: string; viewport: { width: number; height: number } },
): Promise<{ context: BrowserContext; page: Page; errors: string[]; consoleErrors: string[] }> {
  const context = await browser.newContext({ timezoneId: opts.timezoneId, viewport: opts.viewport, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
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
