import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLINIC_EVENTS, ClinicEventBus, type ClinicEventName } from '#clinic';
import { startTestApp, type TestApp } from '#test/app';

/*
 * docs/architecture.md lists every clinical event with the domains that publish it and the
 * handlers that react, in order. This keeps that table true: against the catalogue, the publish
 * calls in the code, and the handlers the running API discovered at start-up.
 */

const root = process.cwd();
const clinic = join(root, 'libs', 'clinic', 'src');

interface Row {
  publishers: string[];
  handlers: string[];
}

function docsTable(): Map<string, Row> {
  const lines = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8').split('\n');
  const header = lines.findIndex((l) => /^\|\s*event\s*\|\s*published by\s*\|\s*handled by\s*\|$/.test(l.trim()));
  if (header < 0) throw new Error('docs/architecture.md has no "| event | published by | handled by |" table');
  const rows = new Map<string, Row>();
  for (const line of lines.slice(header + 2)) {
    if (!line.trim().startsWith('|')) break;
    const [event, publishers, handlers] = line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
    const names = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    rows.set(names(event)[0] ?? event, { publishers: names(publishers), handlers: names(handlers) });
  }
  return rows;
}

/** event → the domain folders whose code publishes it. */
function publishersInCode(): Map<string, string[]> {
  const found = new Map<string, Set<string>>();
  const walk = (dir: string, domain: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, domain);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
        for (const m of readFileSync(path, 'utf8').matchAll(/\.publish\(\s*\w+,\s*'(\w+)'/g))
          found.set(m[1], (found.get(m[1]) ?? new Set()).add(domain));
    }
  };
  for (const entry of readdirSync(clinic, { withFileTypes: true })) if (entry.isDirectory()) walk(join(clinic, entry.name), entry.name);
  return new Map([...found].map(([event, domains]) => [event, [...domains].sort()]));
}

describe('clinical events, as docs/architecture.md lists them', () => {
  let t: TestApp;
  let bus: ClinicEventBus;
  const table = docsTable();
  const events = Object.keys(CLINIC_EVENTS) as ClinicEventName[];

  beforeAll(async () => {
    t = await startTestApp();
    bus = t.app.get(ClinicEventBus);
  });
  afterAll(() => t.close());

  it('the table has a row for every event of the catalogue and no other', () => {
    expect([...table.keys()].sort()).toEqual([...events].sort());
  });

  it.each(events)('%s: its handlers, in the order they run', (event) => {
    expect(table.get(event)?.handlers).toEqual(bus.handlersOf(event));
  });

  it.each(events)('%s: the domains that publish it', (event) => {
    expect(table.get(event)?.publishers).toEqual(publishersInCode().get(event) ?? []);
  });
});
