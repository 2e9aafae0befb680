import { DomainError } from '#platform';

/**
 * A cursor for lists sorted by something other than a time and an id (protocols by key, consent
 * forms by kind and version, chairs by name): base64url of the last item's sort values, opaque to
 * clients. A cursor this server did not issue is a 400 naming `cursor`, as `decodeCursor` answers.
 */
export type KeyShape = Record<string, 'string' | 'number' | 'uuid'>;
export type KeyValues<S extends KeyShape> = { [K in keyof S]: S[K] extends 'number' ? number : string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FITS = {
  number: (v: unknown) => Number.isSafeInteger(v),
  string: (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200,
  uuid: (v: unknown) => typeof v === 'string' && UUID.test(v),
};

export function encodeKeyCursor(values: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeKeyCursor<S extends KeyShape>(cursor: string | undefined, shape: S): KeyValues<S> | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const fits =
    typeof value === 'object' &&
    value !== null &&
    Object.entries(shape).every(([k, type]) => FITS[type]((value as Record<string, unknown>)[k]));
  if (!fits) throw DomainError.validation([{ field: 'cursor', message: 'cursor is not one this server issued' }]);
  return value as KeyValues<S>;
}

/** A page from `limit + 1` rows in sort order; the cursor holds the last item's sort values. */
export function toKeyPage<R, T>(
  rows: R[],
  limit: number,
  key: (row: R) => Record<string, string | number>,
  view: (row: R) => T,
): { items: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  const last = slice[slice.length - 1];
  return { items: slice.map(view), nextCursor: more && last ? encodeKeyCursor(key(last)) : null };
}
