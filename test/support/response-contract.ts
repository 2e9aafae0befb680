import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/*
 * The answers Vigil publishes in openapi.json, as compiled JSON-schema validators: for a request's
 * method and path, the route it matches (its path template) and, for each status, the schema its
 * body must follow; for the alert stream, the schema of each event's data.
 *
 * What the document says is read as JSON Schema with three adjustments: OpenAPI's `nullable: true`
 * becomes "null, or the rest of the schema" (also around an `allOf` reference); references into
 * `#/components/schemas` point at the components registered once; and an object that lists its
 * properties is closed (a field Vigil sends must be published; the document itself leaves objects
 * open so that clients tolerate fields added later).
 */

type Schema = Record<string, unknown>;

interface MediaType {
  schema?: Schema;
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  responses?: Record<string, ResponseObject>;
  'x-stream-events'?: Record<string, Schema>;
}
export interface ContractDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; responses?: Record<string, ResponseObject> };
}

/** One thing an answer does differently from what is published: where (a JSON path in the body, or `status`, `content-type`, `event`) and what. */
export interface Problem {
  at: string;
  message: string;
}

const ROOT = 'vigil-openapi';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
/** Keywords whose value is data, not a schema. */
const VALUES = new Set([
  'enum',
  'required',
  'default',
  'example',
  'examples',
  'const',
  'description',
  'title',
  'format',
  'pattern',
  'type',
]);

/** An OpenAPI 3.0 schema as JSON Schema (see above). */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const source = schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'nullable' || key === 'example') continue;
    if (key === '$ref' && typeof value === 'string') out[key] = value.replace('#/components/schemas/', `${ROOT}#/definitions/`);
    else if (key === 'properties')
      out[key] = Object.fromEntries(Object.entries(value as Schema).map(([name, property]) => [name, toJsonSchema(property)]));
    else out[key] = VALUES.has(key) ? value : toJsonSchema(value);
  }
  if (out['properties'] && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  if (source['nullable'] === true) return { anyOf: [{ type: 'null' }, out] };
  return out;
}

interface Route {
  template: string;
  pattern: RegExp;
  literals: number;
  operations: Record<string, Operation>;
}

/** What an answer of one route must be. */
export interface RouteContract {
  /** `GET /api/v1/sessions/{id}`, or `GET (no published route)`. */
  route: string;
  /** The problems of an answer with this status, content type and body (undefined: nothing to check). */
  check(status: number, contentType: string | undefined, body: Buffer): Problem[];
  /** The problems of one event of a stream answer. */
  checkEvent(event: string, data: string): Problem[];
}

export class ResponseContract {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: ContractDocument) {
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
    addFormats.default(this.ajv);
    this.ajv.addFormat('password', true);
    this.ajv.addSchema({ $id: ROOT, definitions: toJsonSchema(document.components?.schemas ?? {}) as Schema });
    this.routes = Object.entries(document.paths).map(([template, operations]) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+')}/?$`),
      literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
      operations,
    }));
  }

  /** The published route of a request: the path template that matches with the most literal segments. */
  routeOf(method: string, path: string): RouteContract {
    const verb = method.toLowerCase();
    const route = this.routes
      .filter((r) => r.pattern.test(path) && METHODS.includes(verb) && r.operations[verb])
      .sort((a, b) => b.literals - a.literals)[0];
    const operation = route?.operations[verb];
    const name = `${method.toUpperCase()} ${route?.template ?? `${path} (no published route)`}`;
    return {
      route: name,
      check: (status, contentType, body) => this.checkAnswer(name, operation, status, contentType, body),
      checkEvent: (event, data) => this.checkEvent(name, operation, event, data),
    };
  }

  private checkAnswer(
    name: string,
    operation: Operation | undefined,
    status: number,
    contentType: string | undefined,
    body: Buffer,
  ): Problem[] {
    const json = contentType !== undefined && /^application\/json\b/i.test(contentType);
    if (!operation) {
      // A path no route serves (404) or a method it does not take: answered in the error shape when JSON.
      return status >= 400 && json ? this.validate(`${name} error`, { $ref: '#/components/schemas/ErrorDto' }, body) : [];
    }
    const responses = operation.responses ?? {};
    const response = this.resolve(responses[String(status)] ?? (status >= 400 ? responses['default'] : undefined));
    if (!response)
      return [{ at: 'status', message: `${status} is not a published answer (published: ${Object.keys(responses).join(', ')})` }];
    const published = Object.keys(response.content ?? {});
    if (body.length === 0)
      return published.length && status !== 204 ? [{ at: 'body', message: `empty, but ${published.join(', ')} is published` }] : [];
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    const media = response.content?.[type];
    if (!media)
      return [
        {
          at: 'content-type',
          message: `${type || 'none'} is not published for ${status} (published: ${published.join(', ') || 'no body'})`,
        },
      ];
    if (!json || type === 'text/event-stream') return [];
    if (!media.schema) return [{ at: 'body', message: `no schema is published for ${status} ${type}` }];
    return this.validate(`${name} ${status}`, media.schema, body);
  }

  /** A response given by reference to the document's `components.responses`. */
  private resolve(response: ResponseObject | undefined): ResponseObject | undefined {
    const name = response?.$ref?.replace('#/components/responses/', '');
    return name === undefined ? response : this.document.components?.responses?.[name];
  }

  private checkEvent(name: string, operation: Operation | undefined, event: string, data: string): Problem[] {
    const schema = operation?.['x-stream-events']?.[event];
    if (!schema) return [{ at: 'event', message: `"${event}" is not a published event of ${name}` }];
    return this.validate(`${name} event ${event}`, schema, Buffer.from(data), `event ${event} data`);
  }

  private validate(key: string, schema: Schema, body: Buffer, where = 'body'): Problem[] {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return [{ at: where, message: 'is not JSON' }];
    }
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Schema);
      this.compiled.set(key, validate);
    }
    return validate(value) ? [] : problemsOf(validate.errors ?? [], where);
  }
}

/** ajv's errors as problems, the most precise first (the deepest path; a branch of "null or …" only when nothing deeper says more). */
function problemsOf(errors: ErrorObject[], where: string): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  const deepest = [...errors].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length);
  for (const e of deepest) {
    if (e.keyword === 'anyOf' || (e.keyword === 'type' && e.params['type'] === 'null')) continue;
    const detail = e.keyword === 'enum' ? ` ${JSON.stringify(e.params['allowedValues'])}` : '';
    const extra = e.keyword === 'additionalProperties' ? ` "${String(e.params['additionalProperty'])}"` : '';
    const problem = { at: `${where}${e.instancePath}`, message: `${e.message ?? e.keyword}${detail}${extra}` };
    const text = `${problem.at} ${problem.message}`;
    if (seen.has(text)) continue;
    seen.add(text);
    problems.push(problem);
  }
  return problems.length ? problems.slice(0, 8) : [{ at: where, message: 'does not match its schema' }];
}

let published: ResponseContract | undefined;
/** The contract of the committed openapi.json (read once per test file). */
export function publishedContract(): ResponseContract {
  published ??= new ResponseContract(JSON.parse(readFileSync(join(process.cwd(), 'openapi.json'), 'utf8')) as ContractDocument);
  return published;
}
