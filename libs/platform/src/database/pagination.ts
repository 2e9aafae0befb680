import { DomainError } from '../errors/domain-error.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorPosition {
  at: string;
  id: string;
}

/**
 * Cursor = base64url of the last item's sort time and id; opaque to clients. The sort column must be
 * `timestamptz(3)`: a JavaScript Date holds milliseconds, so a microsecond column would never match.
 */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify({ at: at.toISOString(), id })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorPosition | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPosition>;
    if (
      typeof value.at === 'string' &&
      !Number.isNaN(Date.parse(value.at)) &&
      typeof value.id === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.id)
    ) {
      return { at: value.at, id: value.id };
    }
  } catch {
    // fall through to the validation error
  }
  throw DomainError.validation([{ field: 'cursor', message: 'cursor is not one this server issued' }]);
}

/** Builds a page from `limit + 1` rows fetched in sort order. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => { at: Date; id: string }, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  const last = slice[slice.length - 1];
  return {
    items: slice.map(map),
    nextCursor: more && last ? encodeCursor(key(last).at, key(last).id) : null,
  };
}
