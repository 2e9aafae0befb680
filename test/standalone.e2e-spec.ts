import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetadataArgsStorage, type QueryRunner } from 'typeorm';
import { score, type Instrument } from '../libs/clinic/src/assessments/scoring.js';
import type { InductionPlan, MaintenancePlan, ThresholdSet } from '../libs/clinic/src/protocols/protocol-definition.js';
import { ClinicSettings } from '../libs/clinic/src/settings/clinic-settings.entity.js';
import { SeedDefaults1795298813571 } from '../migrations/1795298813571-SeedDefaults.js';
import {
  ACK_WARNING,
  ANESTHESIOLOGIST_ORDERS,
  ASSESSMENTS,
  AUDIT,
  CLINICAL_READ,
  CONSENTS,
  CRITICAL_ALERTS,
  DEMOGRAPHICS,
  DIRECTORY,
  FOLLOW_UPS,
  FEED_LOG,
  GATEWAYS,
  FOLLOW_UPS_OF_OTHERS,
  MONITORS,
  MONITORS_READ,
  ROLES_TABLE,
  SCHEDULING,
  SCREENING,
  SESSIONS,
  SETUP,
  THRESHOLDS,
  UNBOUND,
  WALL_BOARD,
  CS_REGISTRY,
  CS_RECEIVE,
  CS_CLINICAL,
  CS_CUSTODY,
  CS_LOSS,
  CS_LOSS_FILING,
  CS_REPORTS,
  CS_DISPOSAL,
  CS_INVENTORY,
} from './support/api-contract.js';

/*
 * Vigil stands alone: a clone of the repository builds, tests and explains itself. No tracked file
 * points outside the repository for its documentation, every relative link of the README and of
 * docs/ lands on a tracked file, and the default figures docs/clinical-rules.md states are the ones
 * the code ships (the seed migration, the clinic settings' column defaults, the scoring).
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TRACKED = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f && !f.startsWith('node_modules/') && f !== 'package-lock.json');
const TRACKED_SET = new Set(TRACKED);
const TEXT = TRACKED.filter((f) => !/\.(png|jpe?g|gif|ico|pdf|woff2?|gz|zip)$/i.test(f) && existsSync(join(ROOT, f)));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('nothing outside the repository', () => {
  it('lists the tracked files', () => {
    expect(TRACKED).toContain('README.md');
    expect(TRACKED).toEqual(expect.arrayContaining(['docs/api.md', 'docs/clinical-rules.md', 'docs/architecture.md']));
  });

  // Ways a file can point at documents kept beside the repository instead of in it.
  const OUTSIDE: [string, RegExp][] = [
    ['a relative path into a folder named shared beside the repository', /\.\.[/\\]shared\b/],
    ['the path segments dot-dot and shared, as join() arguments', /['"]\.\.['"]\s*,\s*['"]shared['"]/],
    ['an absolute path into the machine’s work folder', /(^|[\s'"`(])\/work\//],
  ];

  it.each(OUTSIDE)('no tracked file has %s', (_what, pattern) => {
    const hits = TEXT.flatMap((file) =>
      read(file)
        .split('\n')
        .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim().slice(0, 120)}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  it('every markdown document a tracked file names is in the repository', () => {
    const markdown = TRACKED.filter((f) => f.endsWith('.md'));
    const names = new Set(markdown.map((f) => basename(f)));
    const missing = TEXT.flatMap((file) =>
      [...read(file).matchAll(/[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md\b/g)]
        .map((m) => m[0])
        .filter((name) => (name.includes('/') ? !TRACKED_SET.has(name.replace(/^\.\//, '')) : !names.has(name)))
        .map((name) => `${file}: ${name}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('links of the README and docs/', () => {
  const DOCUMENTS = TRACKED.filter((f) => f === 'README.md' || /^docs\/[^/]+\.md$/.test(f));

  /** Relative targets of [text](target) links, anchors dropped; web and mail links left out. */
  function relativeLinks(markdown: string): string[] {
    return [...markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
      .map((m) => m[1])
      .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#'))
      .map((target) => decodeURIComponent(target.split('#')[0]));
  }

  it.each(DOCUMENTS)('%s links only to files of the repository', (doc) => {
    const links = relativeLinks(read(doc));
    const bad = links.filter((target) => {
      if (isAbsolute(target)) return true;
      const inRepo = relative(ROOT, resolve(ROOT, dirname(doc), target))
        .split('\\')
        .join('/');
      if (inRepo.startsWith('..') || isAbsolute(inRepo)) return true;
      return !(TRACKED_SET.has(inRepo) || TRACKED.some((f) => f.startsWith(`${inRepo}/`)));
    });
    expect(bad).toEqual([]);
  });

  it('the README links each document of docs/', () => {
    const links = relativeLinks(read('README.md'));
    for (const doc of DOCUMENTS.filter((d) => d !== 'README.md')) expect(links).toContain(doc);
  });
});

describe('docs/api.md holds every row of the roles table the tests check', () => {
  const ACTIONS = [
    SETUP,
    DIRECTORY,
    DEMOGRAPHICS,
    SCREENING,
    CONSENTS,
    SCHEDULING,
    SESSIONS,
    ANESTHESIOLOGIST_ORDERS,
    THRESHOLDS,
    ACK_WARNING,
    CRITICAL_ALERTS,
    ASSESSMENTS,
    CLINICAL_READ,
    WALL_BOARD,
    FOLLOW_UPS,
    FOLLOW_UPS_OF_OTHERS,
    AUDIT,
    MONITORS,
    MONITORS_READ,
    UNBOUND,
    FEED_LOG,
    GATEWAYS,
    CS_REGISTRY,
    CS_RECEIVE,
    CS_CLINICAL,
    CS_CUSTODY,
    CS_LOSS,
    CS_LOSS_FILING,
    CS_REPORTS,
    CS_DISPOSAL,
    CS_INVENTORY,
  ];
  it.each(ACTIONS)('%s', (action) => expect(ROLES_TABLE.has(action)).toBe(true));
  it('and no other', () => expect([...ROLES_TABLE.keys()].sort()).toEqual([...ACTIONS].sort()));
});

// ---------------------------------------------------------------------------------------------
// docs/clinical-rules.md against the code

const RULES = read('docs/clinical-rules.md');

/** The rows of the markdown table whose header is exactly `header`, as column → cell. */
function table(markdown: string, header: string[]): Record<string, string>[] {
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => c.trim());
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith('|') && cells(l).join('|') === header.join('|'));
  if (start < 0) throw new Error(`no table with the header ${header.join(' | ')}`);
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.trim().startsWith('|')) break;
    const row = cells(line);
    rows.push(Object.fromEntries(header.map((h, i) => [h, row[i] ?? ''])));
  }
  return rows;
}

const unquote = (cell: string) => cell.replace(/^`|`$/g, '');

/** What the seed migration inserts, captured from its statements (nothing touches a database). */
interface SeededProtocol {
  key: string;
  route: string;
  duration_min: number | null;
  min_observation_min: number;
  observation_floor_min: number | null;
  observation_from: string;
  induction: InductionPlan;
  maintenance: MaintenancePlan;
  thresholds: unknown;
}

interface Seeded {
  settings: Record<string, unknown>;
  protocols: SeededProtocol[];
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of list) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === ',') {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  parts.push(current.trim());
  return parts;
}

/** INSERT INTO "t" (cols) VALUES (values) with $n parameters → column → value. */
function insertedRow(sql: string, params: unknown[]): Record<string, unknown> {
  const m = /INSERT INTO "\w+"\s*\(([\s\S]*?)\)\s*VALUES\s*\(([\s\S]*)\)\s*$/.exec(sql.trim());
  if (!m) throw new Error(`not an INSERT: ${sql.slice(0, 80)}`);
  const columns = splitTopLevel(m[1]).map((c) => c.replace(/"/g, ''));
  const values = splitTopLevel(m[2]).map((v): unknown => {
    if (/^\$\d+$/.test(v)) {
      const p = params[Number(v.slice(1)) - 1];
      return typeof p === 'string' && /^[[{]/.test(p) ? JSON.parse(p) : p;
    }
    if (v === 'NULL') return null;
    if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
    return v.replace(/^'|'$/g, '');
  });
  if (columns.length !== values.length) throw new Error(`${columns.length} columns, ${values.length} values`);
  return Object.fromEntries(columns.map((c, i) => [c, values[i]]));
}

async function seeded(): Promise<Seeded> {
  const inserts: { sql: string; params: unknown[] }[] = [];
  const runner = {
    query: async (sql: string, params: unknown[] = []) => {
      inserts.push({ sql, params });
      return [];
    },
  } as unknown as QueryRunner;
  await new SeedDefaults1795298813571().up(runner);
  const into = (t: string) => inserts.filter((i) => i.sql.includes(`INSERT INTO "${t}"`)).map((i) => insertedRow(i.sql, i.params));
  const [settings] = into('clinic_settings');
  return { settings, protocols: into('protocol_versions') as unknown as SeededProtocol[] };
}

describe('docs/clinical-rules.md states the figures Vigil ships', () => {
  let seed: Seeded;
  beforeAll(async () => {
    seed = await seeded();
  });

  describe('§1 the seeded protocols', () => {
    const HEADER = ['protocol', 'route', 'infusion', 'minimum observation', 'observed from', 'induction sessions', 'maintenance every'];
    const documented = table(RULES, HEADER);
    const ROUTE: Record<string, string> = { iv: 'IV', im: 'IM', intranasal: 'intranasal' };
    const FROM: Record<string, string> = { 'dosing-end': 'end of dosing', 'first-dose': 'first device' };

    /** The row the table should have for a seeded protocol. */
    const expected = (p: SeededProtocol): Record<string, string> => ({
      protocol: `\`${p.key}\``,
      route: ROUTE[p.route],
      infusion: p.duration_min === null ? '–' : `${p.duration_min} min`,
      'minimum observation': `${p.min_observation_min} min`,
      'observed from': FROM[p.observation_from],
      'induction sessions': String(p.induction.phases.reduce((n, ph) => n + ph.sessions, 0)),
      'maintenance every': `${p.maintenance.intervalDays} days`,
    });

    it('documents each seeded protocol once, and no other', () => {
      const keys = seed.protocols.map((p) => p.key).sort();
      expect(documented.map((r) => unquote(r.protocol)).sort()).toEqual(keys);
    });

    it.each(documented.map((r) => [unquote(r.protocol), r] as const))('%s', (key, row) => {
      const p = seed.protocols.find((x) => x.key === key);
      expect(p).toBeDefined();
      expect(row).toEqual(expected(p!));
    });

    it('the esketamine observation floor is the label minimum the table states', () => {
      const p = seed.protocols.find((x) => x.key === 'esketamine-trd')!;
      expect(p.observation_floor_min).toBe(p.min_observation_min);
    });
  });

  describe('§3 the default thresholds', () => {
    const documented = table(RULES, ['measure', 'warning', 'critical', 'source']);
    const level = (op: string, v: number | null) => (v === null ? '–' : `${op} ${v}`);
    const ROWS: [string, (t: ThresholdSet) => string, (t: ThresholdSet) => string][] = [
      ['systolic BP', (t) => level('≥', t.systolic.high.warning), (t) => level('≥', t.systolic.high.critical)],
      ['systolic BP over baseline', (t) => `${level('≥', t.systolic.riseWarning)} above`, () => '–'],
      ['systolic BP (low)', (t) => level('<', t.systolic.low.warning), (t) => level('<', t.systolic.low.critical)],
      ['diastolic BP', (t) => level('≥', t.diastolic.high.warning), (t) => level('≥', t.diastolic.high.critical)],
      ['diastolic BP over baseline', (t) => `${level('≥', t.diastolic.riseWarning)} above`, () => '–'],
      ['heart rate (high)', (t) => level('>', t.heartRate.high.warning), (t) => level('>', t.heartRate.high.critical)],
      ['heart rate (low)', (t) => level('<', t.heartRate.low.warning), (t) => level('<', t.heartRate.low.critical)],
      ['SpO2', (t) => level('<', t.spo2.low.warning), (t) => level('<', t.spo2.low.critical)],
      ['respiratory rate (high)', (t) => level('>', t.respiratoryRate.high.warning), (t) => level('>', t.respiratoryRate.high.critical)],
      ['respiratory rate (low)', (t) => level('<', t.respiratoryRate.low.warning), (t) => level('<', t.respiratoryRate.low.critical)],
      ['MOAA/S', (t) => `a drop of ≥ ${t.moaas.dropWarning} from pre-dose`, (t) => level('≤', t.moaas.criticalAtOrBelow)],
    ];

    it('has exactly these rows', () => expect(documented.map((r) => r.measure)).toEqual(ROWS.map(([m]) => m)));

    it.each(ROWS)('%s', (measure, warning, critical) => {
      const t = seed.settings.thresholds as ThresholdSet;
      const row = documented.find((r) => r.measure === measure);
      expect({ warning: row?.warning, critical: row?.critical }).toEqual({ warning: warning(t), critical: critical(t) });
    });

    it('every protocol ships the clinic thresholds as they are', () => {
      for (const p of seed.protocols) expect(p.thresholds).toEqual({});
    });
  });

  describe('§7 the clinic timings', () => {
    const documented = table(RULES, ['setting', 'default', 'source']);
    /** A column default of ClinicSettings, as the table writes it. */
    const columnDefault = (property: string): string => {
      const column = getMetadataArgsStorage().columns.find((c) => c.target === ClinicSettings && c.propertyName === property);
      if (!column) throw new Error(`ClinicSettings has no column ${property}`);
      const raw: unknown = column.options.default;
      const value = typeof raw === 'function' ? String((raw as () => unknown)()) : String(raw);
      return value
        .replace(/^'\{|\}'$/g, '')
        .split(',')
        .join(', ');
    };
    const escalation = () => seed.settings.escalation as Record<string, number>;
    const ROWS: [string, () => string][] = [
      ['escalation.sessionAnesthesiologistAfterMin', () => String(escalation().sessionAnesthesiologistAfterMin)],
      ['escalation.allAnesthesiologistsAfterMin', () => String(escalation().allAnesthesiologistsAfterMin)],
      ['appointmentTurnoverMin', () => String(seed.settings.appointment_turnover_min)],
      ...[
        'checkInCallAfterHours',
        'remsFormDueDays',
        'remsFormEscalateDays',
        'phq9AfterInductionHours',
        'consentExpiryReminderDays',
        'followUpOverdueEscalationHours',
        'appointmentReminderHours',
        'outcomeBaselineWindowMin',
        'deliveredDoseTolerancePct',
        'lateReadingPageAfterMin',
        'hl7LogRetentionDays',
        'csDiscrepancyResolveHours',
        'csEstimateToleranceMl',
        'csRecordRetentionYears',
      ].map((p): [string, () => string] => [p, () => columnDefault(p)]),
    ];

    it('has exactly these rows', () => expect(documented.map((r) => unquote(r.setting))).toEqual(ROWS.map(([s]) => s)));

    it.each(ROWS)('%s', (setting, actual) => {
      expect(documented.find((r) => unquote(r.setting) === setting)?.default).toBe(actual());
    });
  });

  describe('§5 the score bands', () => {
    const documented = table(RULES, ['instrument', 'items', 'bands', 'source']);

    /** Items of `count` answers 0–`max` adding up to `total`. */
    const itemsFor = (total: number, count: number, max: number) =>
      Array.from({ length: count }, (_, i) => Math.max(0, Math.min(max, total - i * max)));

    /** "0–4 minimal, 5–9 mild, …" as scoring.ts computes it for every total. */
    function bandsOf(instrument: Instrument, count: number, max: number): string {
      const runs: { from: number; to: number; band: string }[] = [];
      for (let total = 0; total <= count * max; total++) {
        const band = score(instrument, itemsFor(total, count, max)).band!;
        const last = runs[runs.length - 1];
        if (last?.band === band) last.to = total;
        else runs.push({ from: total, to: total, band });
      }
      return runs.map((r) => `${r.from}–${r.to} ${r.band}`).join(', ');
    }

    it.each([
      ['PHQ-9', 'PHQ9', 9, 3],
      ['GAD-7', 'GAD7', 7, 3],
    ] as const)('%s', (name, instrument, count, max) => {
      const row = documented.find((r) => r.instrument === name);
      expect(row?.bands).toBe(bandsOf(instrument, count, max));
      expect(row?.items).toBe(`${count} items 0–${max}, 0–${count * max}`);
    });
  });
});
