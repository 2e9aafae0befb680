/**
 * A fast path past class-transformer and class-validator for the bodies a bedside monitor sends
 * many times a second (bench/RESULTS.md: validating them was a large share of an ingest request's
 * CPU). A DTO may name a check that accepts only bodies its decorators accept too; a body the check
 * accepts is handed to the route as parsed, and any other goes through the full validation, so
 * every refusal is the same answer, word for word. The check may refuse more than the DTO (it only
 * costs the slow path); it must never accept what the DTO refuses (fast-accept.spec.ts holds it to
 * that over generated bodies).
 */
type Check = (body: Record<string, unknown>) => boolean;

const checks = new WeakMap<object, Check>();

/** Class decorator: bodies `check` accepts are valid for this DTO. */
export const AcceptedWhen =
  (check: Check): ClassDecorator =>
  (target) => {
    checks.set(target, check);
  };

/** The DTO's fast check, if it has one. */
export const fastCheckOf = (metatype: unknown): Check | undefined => (typeof metatype === 'function' ? checks.get(metatype) : undefined);

/** A JSON object whose own keys are all among `allowed`. */
export function onlyKeys(value: unknown, allowed: ReadonlySet<string>): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const key in value) if (!Object.hasOwn(value, key) || !allowed.has(key)) return false;
  return true;
}

/** Absent, null, or an integer in [low, high] (an `@IsOptional() @IsInt() @Min @Max` field). */
export const optionalIntIn = (v: unknown, low: number, high: number): boolean =>
  v === undefined || v === null || (typeof v === 'number' && Number.isInteger(v) && v >= low && v <= high);
