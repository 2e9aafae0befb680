import { DomainError } from '#platform';
import { decodeKeyCursor, encodeKeyCursor, toKeyPage } from './list-cursor.js';

const b64 = (s: string) => Buffer.from(s).toString('base64url');

describe('cursors of lists sorted by key', () => {
  it.each([
    [{ key: 'ketamine-iv-standard' }, { key: 'string' }],
    [
      { kind: 'general-procedure', version: 3 },
      { kind: 'string', version: 'number' },
    ],
    [
      { name: 'Chair 1', id: '6f1c2a7e-0000-4000-8000-000000000001' },
      { name: 'string', id: 'string' },
    ],
  ] as const)('%j reads back as written', (values, shape) => {
    expect(decodeKeyCursor(encodeKeyCursor(values), shape)).toEqual(values);
  });

  it('no cursor: the first page', () => {
    expect(decodeKeyCursor(undefined, { key: 'string' })).toBeUndefined();
    expect(decodeKeyCursor('', { key: 'string' })).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['a field missing', b64('{"kind":"x"}')],
    ['a number as text', b64('{"kind":"x","version":"3"}')],
    ['a fraction', b64('{"kind":"x","version":1.5}')],
    ['an empty key', b64('{"kind":"","version":1}')],
    ['JSON null', b64('null')],
  ])('%s is a 400 naming cursor', (_name, cursor) => {
    try {
      decodeKeyCursor(cursor, { kind: 'string', version: 'number' });
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).status).toBe(400);
      expect((err as DomainError).details).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
  });

  it('an id that is no uuid is a 400 naming cursor', () => {
    expect(() => decodeKeyCursor(b64('{"name":"Chair 1","id":"1 OR 1=1"}'), { name: 'string', id: 'uuid' })).toThrow(DomainError);
  });

  it.each([
    ['more rows than the limit: a cursor at the last item', [1, 2, 3], 2, [1, 2], { n: 2 }],
    ['exactly the limit: no more', [1, 2], 2, [1, 2], null],
    ['empty', [], 2, [], null],
  ] as const)('%s', (_name, rows, limit, items, cursor) => {
    const page = toKeyPage(
      [...rows],
      limit,
      (r) => ({ n: r }),
      (r) => r,
    );
    expect(page.items).toEqual(items);
    expect(page.nextCursor === null ? null : decodeKeyCursor(page.nextCursor, { n: 'number' })).toEqual(cursor);
  });
});
