import fc from 'fast-check';
import type { JsonSchema, OpenApiDocument } from './api-contract.js';

/*
 * fast-check arbitraries from the JSON schemas of openapi.json: bodies the document calls valid
 * (types, enums, formats, minimum and maximum, required fields), and mutations of a body, each
 * saying whether the document itself refuses the result (so the API must answer 4xx).
 */

/** Ids a uuid field may name: ours (real records of the caller's clinic) and theirs (another clinic's). */
export interface IdSource {
  ours(field: string): string[];
  theirs(field: string): string[];
}

export interface SchemaContext {
  doc: OpenApiDocument;
  ids: IdSource;
  /** Arbitraries for free-form properties (`additionalProperties: true`) whose shape the description gives, by property name. */
  freeForm?: Record<string, fc.Arbitrary<unknown>>;
}

/** The schema with `$ref` followed and a single-element `allOf` folded in. */
export function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const found = doc.components.schemas[name];
    if (!found) throw new Error(`openapi.json: no schema ${name}`);
    return resolve(doc, found);
  }
  if (schema.allOf?.length === 1) {
    const { allOf, ...rest } = schema;
    return { ...resolve(doc, allOf[0]), ...rest, type: resolve(doc, allOf[0]).type };
  }
  return schema;
}

const DAY_MS = 86_400_000;
/** A timestamp near now (charting allows a little back-dating, scheduling looks ahead), sometimes with an offset. */
const timestamp = fc
  .tuple(fc.integer({ min: -3 * DAY_MS, max: 30 * DAY_MS }), fc.constantFrom('Z', '+00:00', '-05:00', '+05:30'))
  .map(([ms, offset]) => {
    const iso = new Date(Date.now() + ms).toISOString();
    if (offset === 'Z') return iso;
    const sign = offset.startsWith('-') ? -1 : 1;
    const [h, m] = offset.slice(1).split(':').map(Number);
    const shifted = new Date(Date.now() + ms + sign * (h * 60 + m) * 60_000).toISOString();
    return shifted.replace('Z', offset);
  });
const calendarDate = fc
  .date({ min: new Date('1920-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const WORDS = ['Ana Souza', 'Chair 2', 'patient asked', 'reviewed with the patient'];
const text = (minLength = 0) =>
  fc.oneof(
    fc.string({ minLength, maxLength: Math.max(40, minLength) }),
    fc.string({ unit: 'grapheme', minLength: Math.max(minLength, 1), maxLength: Math.max(20, minLength) }),
    fc.constantFrom(...WORDS.map((w) => w.padEnd(minLength, '.'))),
  );

function stringOf(s: JsonSchema, field: string, ctx: SchemaContext): fc.Arbitrary<string> {
  switch (s.format ?? '') {
    case 'uuid': {
      const ours = ctx.ids.ours(field);
      return ours.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ours) }, fc.uuid({ version: 4 })) : fc.uuid({ version: 4 });
    }
    case 'date-time':
      return timestamp;
    case 'date':
      return calendarDate;
    case 'password':
      return fc.string({ minLength: Math.max(12, s.minLength ?? 0), maxLength: 40 });
    default:
      return typeof s.example === 'string' ? fc.oneof(fc.constant(s.example), text(s.minLength ?? 0)) : text(s.minLength ?? 0);
  }
}

function numberOf(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? -1_000_000;
  const max = s.maximum ?? 1_000_000;
  const ints = fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  if (integer) return ints;
  const decimals = fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .map((x) => Math.min(max, Math.max(min, Math.round(x * 100) / 100)));
  return fc.oneof(ints, decimals);
}

/** A value the schema accepts. `partial`: no property is required, at any depth (threshold overrides). */
export function validOf(schema: JsonSchema, ctx: SchemaContext, field = '', partial = false): fc.Arbitrary<unknown> {
  const s = resolve(ctx.doc, schema);
  const core = coreOf(s, ctx, field, partial);
  return s.nullable ? fc.oneof({ weight: 4, arbitrary: core }, fc.constant(null)) : core;
}

function coreOf(s: JsonSchema, ctx: SchemaContext, field: string, partial: boolean): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.oneOf) return fc.oneof(...s.oneOf.map((x) => validOf(x, ctx, field, partial)));
  switch (s.type ?? '') {
    case 'string':
      return stringOf(s, field, ctx);
    case 'integer':
      return numberOf(s, true);
    case 'number':
      return numberOf(s, false);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validOf(s.items ?? {}, ctx, field, partial), { maxLength: Math.min(s.maxItems ?? 4, 4) });
    default:
      if (s.properties) return objectOf(s, ctx, partial);
      if (s.additionalProperties)
        return ctx.freeForm?.[field] ?? fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(s: JsonSchema, ctx: SchemaContext, partial: boolean): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const model = Object.fromEntries(Object.entries(props).map(([k, p]) => [k, validOf(p, ctx, k, partial)]));
  return fc.record(model, { requiredKeys: partial ? [] : (s.required ?? []) });
}

// ---------------------------------------------------------------------------------------------
// Mutations

type Path = Array<string | number>;

/** A body and, when the document itself refuses it, why (the API must then answer 4xx). */
export interface Probe {
  body: unknown;
  /** what was done to the valid body, for the failure message */
  done: string[];
  /** the places the document refuses, and why: any of them makes a 2xx a bug */
  refusals: Array<{ path: Path; reason: string }>;
  /** where a record of another clinic is named: a 2xx is a bug, and so is any write */
  foreignAt: Path[];
}

/** Why the document refuses the probe, if it does. */
export const refusedBecause = (p: Probe): string | undefined => p.refusals[0]?.reason;

interface Slot {
  path: Path;
  value: unknown;
  schema: JsonSchema;
  required: boolean;
  present: boolean;
}

/** Every place of the body the schema describes: declared properties (present or not) and array elements, at any depth. */
function slotsOf(value: unknown, schema: JsonSchema, doc: OpenApiDocument, path: Path = []): Slot[] {
  const s = resolve(doc, schema);
  const slots: Slot[] = [];
  if (s.properties && value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    for (const [k, p] of Object.entries(s.properties)) {
      const present = k in v;
      slots.push({ path: [...path, k], value: v[k], schema: p, required: (s.required ?? []).includes(k), present });
      if (present) slots.push(...slotsOf(v[k], p, doc, [...path, k]));
    }
  } else if (s.type === 'array' && Array.isArray(value)) {
    value.forEach((item, i) => {
      slots.push({ path: [...path, i], value: item, schema: s.items ?? {}, required: true, present: true });
      slots.push(...slotsOf(item, s.items ?? {}, doc, [...path, i]));
    });
  }
  return slots;
}

/** `body` with `value` at `path` (or the key removed): copies along the path only, so deep junk elsewhere is shared, not cloned. */
function setAt(body: unknown, path: Path, value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(body) ? [...body] : { ...(body as object) }) as Record<string | number, unknown>;
  if (rest.length) copy[head] = setAt(copy[head], rest, value, remove);
  else if (remove) delete copy[head];
  else copy[head] = value;
  return copy;
}

const where = (path: Path) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('') || '(body)';

/** Nested arrays or objects this deep. */
export const deep = (depth: number, kind: 'array' | 'object'): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
};

const HUGE = [3_000, 70_000, 1_000_000];
const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(deep(40, 'array'), deep(40, 'object'), deep(2_000, 'array')),
  fc.constantFrom('', ' ', '\u0000', 'NaN', "'; DROP TABLE patients; --", '<script>alert(1)</script>', '\u202e', '😀', '\ud800'),
);
const NOT_UUIDS = [
  '',
  '0',
  'not-a-uuid',
  '123e4567e89b12d3a456426614174000',
  '123e4567-e89b-12d3-a456-42661417400',
  '../../etc/passwd',
  ' ',
];
const NOT_TIMESTAMPS = [
  '',
  'now',
  '2026-02-30T10:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-01-01T25:00:00Z',
  '2026-01-01',
  '2026-01-01T10:00:00',
  '1700000000000',
];
const EDGE_TIMESTAMPS = [
  '0001-01-01T00:00:00Z',
  '1900-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2100-01-01T00:00:00+14:00',
  '1970-01-01T00:00:00.000-12:00',
];
const NOT_DATES = ['', '2026-02-30', '2026-13-01', '26-01-01', '2026/01/01', '2026-01-01T00:00:00Z'];
const EDGE_DATES = ['0001-01-01', '1899-12-31', '9999-12-31', '2030-01-01'];

function typeOf(s: JsonSchema): string {
  if (s.enum) return 'enum';
  return s.type ?? (s.properties ? 'object' : 'any');
}

/** A value of a JSON type other than the schema's. */
function wrongTypeFor(s: JsonSchema): fc.Arbitrary<unknown> {
  switch (typeOf(s)) {
    case 'string':
    case 'enum':
      return fc.oneof(fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}), fc.constant(['x']));
    case 'number':
    case 'integer':
      return fc.oneof(fc.constantFrom('120', '1e3', '', 'NaN', 'Infinity'), fc.boolean(), fc.constant([1]), fc.constant({ value: 1 }));
    case 'boolean':
      return fc.constantFrom('true', 'false', 1, 0, [], {}, 'yes');
    case 'array':
      return fc.oneof(fc.constant({}), fc.string({ maxLength: 5 }), fc.integer(), fc.constant({ 0: 'x', length: 1 }));
    case 'object':
      return fc.oneof(fc.constant([]), fc.string({ maxLength: 5 }), fc.integer(), fc.boolean());
    default:
      return fc.constant(undefined);
  }
}

/** Numbers past the schema's bounds (or not integers when it wants one). */
function outOfRangeFor(s: JsonSchema): fc.Arbitrary<number> | undefined {
  const values: number[] = [];
  if (s.minimum !== undefined) values.push(s.minimum - 1, s.minimum - 0.001, -1e308);
  if (s.maximum !== undefined) values.push(s.maximum + 1, s.maximum + 0.001, 1e308);
  if (s.type === 'integer') values.push(1.5, (s.minimum ?? 0) + 0.5);
  return values.length ? fc.constantFrom(...values) : undefined;
}

/** Valid or not, but always a surprise: sizes, extremes and characters no form would send. */
function surpriseFor(s: JsonSchema): fc.Arbitrary<unknown> {
  switch (typeOf(s)) {
    case 'string':
      return fc.oneof(
        fc
          .tuple(fc.constantFrom(...HUGE), fc.constantFrom('x', 'é', '😀', '\u0000', '\ud800'))
          .map(([n, c]) => c.repeat(Math.ceil(n / c.length))),
        fc.constantFrom(
          ...(s.format === 'date-time'
            ? EDGE_TIMESTAMPS
            : s.format === 'date'
              ? EDGE_DATES
              : ['', ' ', '\u0000x', '\ud800', '%00', '\\', '"']),
        ),
      );
    case 'number':
    case 'integer':
      return fc.constantFrom(0, -0, 1e-9, 2 ** 31, 2 ** 53 + 1, -(2 ** 31) - 1, 5e-324, 1.7976931348623157e308);
    case 'array':
      return fc.constantFrom(0, 1, 501, 5_000).map((n) => Array.from({ length: n }, () => 'x'));
    default:
      return junk;
  }
}

interface Mutation {
  path: Path;
  apply: (body: unknown) => unknown;
  done: string;
  refusedBecause?: string;
  foreign?: boolean;
}

function mutationsOf(slot: Slot, ctx: SchemaContext): Array<fc.Arbitrary<Mutation>> {
  const s = resolve(ctx.doc, slot.schema);
  const at = where(slot.path);
  const field = String([...slot.path].reverse().find((p) => typeof p === 'string') ?? '');
  const set = (value: unknown, done: string, refusedBecause?: string, foreign?: boolean): Mutation => ({
    path: slot.path,
    apply: (b) => setAt(b, slot.path, value),
    done: `${at} = ${preview(value)} (${done})`,
    refusedBecause,
    foreign,
  });
  const list: Array<fc.Arbitrary<Mutation>> = [];
  if (slot.present && typeof slot.path[slot.path.length - 1] === 'string')
    list.push(
      fc.constant({
        path: slot.path,
        apply: (b: unknown) => setAt(b, slot.path, undefined, true),
        done: `${at} removed`,
        refusedBecause: slot.required ? `${at} is required` : undefined,
      }),
    );
  list.push(fc.constant(set(null, 'null', s.nullable || !slot.required ? undefined : `${at} is not nullable`)));
  if (typeOf(s) !== 'any') list.push(wrongTypeFor(s).map((v) => set(v, 'wrong type', `${at} must be ${typeOf(s)}`)));
  const out = outOfRangeFor(s);
  if (out) list.push(out.map((v) => set(v, 'out of range', `${at} outside ${s.minimum ?? '…'}–${s.maximum ?? '…'}`)));
  list.push(surpriseFor(s).map((v) => set(v, 'surprise')));
  if (s.enum)
    list.push(
      fc
        .constantFrom(...s.enum.map((e) => String(e).toUpperCase()), ...s.enum.map((e) => ` ${String(e)}`), 'other')
        .filter((v) => !s.enum?.includes(v))
        .map((v) => set(v, 'not in enum', `${at} must be one of the enum`)),
    );
  if (s.format === 'uuid') {
    list.push(fc.constantFrom(...NOT_UUIDS).map((v) => set(v, 'not a uuid', `${at} must be a uuid`)));
    const theirs = ctx.ids.theirs(field);
    if (theirs.length) list.push(fc.constantFrom(...theirs).map((v) => set(v, 'another clinic’s record', undefined, true)));
  }
  if (s.format === 'date-time')
    list.push(fc.constantFrom(...NOT_TIMESTAMPS).map((v) => set(v, 'not a timestamp', `${at} must be a timestamp`)));
  if (s.format === 'date') list.push(fc.constantFrom(...NOT_DATES).map((v) => set(v, 'not a date', `${at} must be a date`)));
  const isObject = !!slot.value && typeof slot.value === 'object' && !Array.isArray(slot.value);
  if (s.properties && isObject)
    list.push(
      fc
        .tuple(fc.constantFrom('unknownField', 'isAdmin', 'clinicId', 'id', 'version2', '$where', 'constructor'), junk)
        .filter(([k]) => !(k in (s.properties ?? {})))
        .map(([k, v]) => ({
          path: [...slot.path, k],
          apply: (b: unknown) => setAt(b, [...slot.path, k], v),
          done: `${at}.${k} added`,
          refusedBecause: `${at}.${k} is not a declared property`,
        })),
    );
  return list;
}

function preview(value: unknown): string {
  const t = JSON.stringify(value) ?? String(value);
  return t.length > 60 ? `${t.slice(0, 40)}… (${t.length} chars)` : t;
}

const within = (path: Path, prefix: Path) => prefix.every((p, i) => path[i] === p);

/** `m` applied to `probe`: what `m` overwrites no longer counts for the earlier refusals and foreign ids. */
function applied(probe: Probe, m: Mutation): Probe {
  const kept = <T>(list: T[], pathOf: (x: T) => Path) => list.filter((x) => !within(pathOf(x), m.path));
  return {
    body: m.apply(probe.body),
    done: [...probe.done, m.done],
    refusals: [...kept(probe.refusals, (r) => r.path), ...(m.refusedBecause ? [{ path: m.path, reason: m.refusedBecause }] : [])],
    foreignAt: [...kept(probe.foreignAt, (p) => p), ...(m.foreign ? [m.path] : [])],
  };
}

/** One to three mutations of `valid`: a field dropped, nulled, retyped, pushed out of range, inflated, added, or swapped for another clinic's record. */
export function mutatedOf(valid: unknown, schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<Probe> {
  const step = (probe: Probe): fc.Arbitrary<Probe> => {
    const root: Slot = { path: [], value: probe.body, schema, required: true, present: true };
    const slots = [root, ...slotsOf(probe.body, schema, ctx.doc)];
    return fc
      .constantFrom(...slots)
      .chain((slot) => fc.oneof(...mutationsOf(slot, ctx)))
      .map((m) => applied(probe, m));
  };
  return step({ body: valid, done: [], refusals: [], foreignAt: [] }).chain((p) =>
    fc.oneof({ weight: 3, arbitrary: fc.constant(p) }, { weight: 2, arbitrary: step(p) }, { weight: 1, arbitrary: step(p).chain(step) }),
  );
}

/** Bodies that are not the object the schema describes at all. */
export const notAnObject: fc.Arbitrary<Probe> = fc
  .oneof(
    fc.constantFrom<unknown>(null, [], 0, true, 'body', [{}], deep(300, 'array'), deep(300, 'object')),
    fc.jsonValue({ maxDepth: 2 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
  )
  .map((body) => ({
    body,
    done: [`body = ${preview(body)}`],
    refusals: [{ path: [], reason: 'the body must be an object' }],
    foreignAt: [],
  }));
