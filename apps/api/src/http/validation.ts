import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldProblem } from '#platform';

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
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

/** One pipe for every route: unknown fields refused, types converted, every bad field listed. */
export function validationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
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
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}
