import type TestAgent from 'supertest/lib/agent.js';
import { bearer } from './factories.js';

interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
}

const join = (url: string, query: string) => `${url}${url.includes('?') ? '&' : '?'}${query}`;

/**
 * Walks a list `pageSize` items at a time from its first page to its last and answers every item
 * in the order read, after checking each page holds at most `pageSize` items and only the last has
 * no cursor.
 */
export async function walkPages<T>(http: TestAgent, url: string, token: string, pageSize: number): Promise<T[]> {
  const seen: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const res: { body: PageBody<T> } = await http
      .get(join(url, `limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`))
      .set(bearer(token))
      .expect(200);
    if (res.body.items.length > pageSize) throw new Error(`${url}: ${res.body.items.length} items on a page of ${pageSize}`);
    seen.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return seen;
    if (res.body.items.length !== pageSize) throw new Error(`${url}: a short page with a cursor`);
  }
  throw new Error(`${url}: the cursor never ends`);
}

/** A limit outside 1–200 and a cursor this server did not issue are 400s naming the field. */
export async function expectPagingRefusals(http: TestAgent, url: string, token: string): Promise<void> {
  for (const [query, field] of [
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=nonsense', 'cursor'],
  ] as const) {
    const res = await http.get(join(url, query)).set(bearer(token));
    if (res.status !== 400) throw new Error(`${url}?${query}: ${res.status}, not 400`);
    const fields = (res.body as { details: { field?: string }[] }).details.map((d) => d.field);
    if (!fields.includes(field)) throw new Error(`${url}?${query}: the 400 names ${fields.join(', ')}, not ${field}`);
  }
}
