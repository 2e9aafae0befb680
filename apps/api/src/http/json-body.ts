import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, type FieldProblem } from '#platform';

/** Past this depth the scan stops keeping keys: the validation pipe refuses such a body anyway (MAX_BODY_DEPTH). */
const SCAN_DEPTH = 64;

type Container = { keys: Set<string> | null; path: string; index: number; key?: string; expectKey: boolean };

const childPath = (parent: Container | undefined): string => {
  if (!parent) return '';
  if (!parent.keys) return `${parent.path}[${parent.index}]`;
  return parent.path ? `${parent.path}.${parent.key ?? ''}` : (parent.key ?? '');
};

/** The end (index of the closing quote) of the JSON string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === '\\') backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

/**
 * The first key that a JSON object of `text` (already known to be valid JSON) names twice, by its
 * path as the validation errors name fields (`role`, `readings[3].systolic`); undefined when there
 * is none. `JSON.parse` keeps the last of duplicates silently: `"role":"nurse",…,"role":"admin"`
 * would pass validation looking at the first and create an admin.
 */
export function duplicateKey(text: string): FieldProblem | undefined {
  const stack: Container[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const top = stack[stack.length - 1];
    if (ch === '{' || ch === '[') {
      if (stack.length >= SCAN_DEPTH) return undefined;
      stack.push({ keys: ch === '{' ? new Set() : null, path: childPath(top), index: 0, expectKey: ch === '{' });
    } else if (ch === '}' || ch === ']') stack.pop();
    else if (ch === ',' && top) {
      if (top.keys) top.expectKey = true;
      else top.index += 1;
    } else if (ch === '"') {
      const end = stringEnd(text, i);
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        const path = top.path ? `${top.path}.${key}` : key;
        if (top.keys.has(key)) return { field: path, message: 'appears more than once in its JSON object' };
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    }
  }
  return undefined;
}

type Done = (err: Error | null, body?: unknown) => void;

/**
 * The parser of `application/json` bodies: Fastify's own (the body limit, `__proto__` and
 * `constructor` poisoning refused, an empty body refused), then a 400 naming any key an object
 * repeats. Depth and well-formed text are checked by the validation pipe, as before.
 */
export function jsonBodyParser(fastify: FastifyInstance): (request: FastifyRequest, body: Buffer, done: Done) => void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    const text = body.toString('utf8');
    void parse(request, text, (err: Error | null, value?: unknown) => {
      if (err) return done(err);
      const duplicate = duplicateKey(text);
      if (duplicate) return done(DomainError.validation([duplicate]));
      done(null, value);
    });
  };
}
