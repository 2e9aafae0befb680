import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { DomainError, ErrorCode, type FieldProblem } from '#platform';
import { fastCheckOf } from './fast-accept.js';

/** Constraints on the kind of a value: when one fails, the others (length, range…) say nothing more. */
const KIND_CONSTRAINTS = new Set([
  'isString',
  'isNumber',
  'isInt',
  'isBoolean',
  'isObject',
  'isArray',
  'isUuid',
  'isIn',
  'isEnum',
  'isTimestamp',
  'isCalendarDate',
]);

/**
 * One message per bad field: a missing one is "required" (or what its `IsDefined` says, e.g. a
 * device reading's deviceId), a null one "must not be null", one of the wrong kind says only that;
 * the other constraints a value breaks are all listed.
 */
function fieldMessages(e: ValidationError, field: string): string[] {
  const constraints = e.constraints ?? {};
  if (e.value === undefined) return [constraints['isDefined'] ?? `${field} is required`];
  if (e.value === null) return [constraints['isDefined'] ?? `${field} must not be null`];
  const kind = Object.keys(constraints).filter((k) => KIND_CONSTRAINTS.has(k));
  return (kind.length ? kind : Object.keys(constraints)).map((k) => constraints[k]);
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    const own = e.constraints ? fieldMessages(e, field).map((message) => ({ field, message })) : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Deeper than any Vigil body (thresholds nest four levels); class-transformer recurses per level and overflows the stack near 2,000. */
export const MAX_BODY_DEPTH = 32;

/** Half of a UTF-16 surrogate pair on its own: no character, stored as U+FFFD by PostgreSQL, and it throws in validator's isEmail. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The first place where a body nests deeper than `MAX_BODY_DEPTH` or holds a string (value or
 * key) that is not well-formed text, walked without recursion; undefined when there is none.
 */
export function bodyProblem(value: unknown): FieldProblem | undefined {
  const stack: Array<{ v: unknown; depth: number; at: string }> = [{ v: value, depth: 0, at: '' }];
  while (stack.length) {
    const { v, depth, at } = stack.pop()!;
    if (typeof v === 'string' && LONE_SURROGATE.test(v))
      return { field: at || 'body', message: 'is not well-formed text (a lone surrogate)' };
    if (!v || typeof v !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return { field: at || 'body', message: `nested more than ${MAX_BODY_DEPTH} levels deep` };
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const path = Array.isArray(v) ? `${at}[${k}]` : at ? `${at}.${k}` : k;
      if (LONE_SURROGATE.test(k)) return { field: at || 'body', message: 'has a property name that is not well-formed text' };
      stack.push({ v: child, depth: depth + 1, at: path });
    }
  }
  return undefined;
}

/**
 * The DTO refused some fields of a body; the others passed it. `FieldChecks` may complete the
 * answer with what the route's service finds among those (api.md: every bad field at once).
 */
export class BodyRefused extends DomainError {
  constructor(readonly problems: FieldProblem[]) {
    const refusal = DomainError.validation(problems);
    super(400, ErrorCode.ValidationFailed, refusal.message, problems);
  }
}

/** One pipe for every route: unknown fields refused, types converted, every bad field listed. */
export function validationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The value tells a missing field from a bad one; it never reaches the answer.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => DomainError.validation(flatten(errors)),
  });
}

/**
 * A body a DTO describes must be a JSON object (Nest would take `null` for `{}` and try to
 * validate a text or an array as one), not absurdly deep (class-transformer would overflow the
 * stack) and made of well-formed text (validator's isEmail throws on a lone surrogate): both
 * were 500s. No body at all stays `{}` for the routes whose fields are all optional.
 */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && this.toValidate(metadata)) {
      if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value)))
        throw DomainError.validation([{ field: 'body', message: 'must be a JSON object' }]);
      const problem = bodyProblem(value);
      if (problem) throw DomainError.validation([problem]);
      if (value !== undefined && fastCheckOf(metadata.metatype)?.(value as Record<string, unknown>)) return value;
    }
    try {
      return (await super.transform(value, metadata)) as unknown;
    } catch (error) {
      if (metadata.type === 'body' && error instanceof DomainError && error.status === 400)
        throw new BodyRefused(error.details as FieldProblem[]);
      throw error;
    }
  }
}
