import { DomainError } from '#platform';
import { UUID, type FhirResource } from './resource.js';

/*
 * Searchset Bundles and their paging. The `next` link carries a keyset cursor (the last entry's
 * sort time, row id and, for Observations, its measure), never an offset: readings keep arriving
 * while a client pages, and a cursor keeps every entry exactly once.
 */

export interface FhirCursor {
  at: string;
  id: string;
  /** The order of the measure within its reading (Observations); 0 otherwise. */
  k: number;
}

export function encodeFhirCursor(c: { at: Date; id: string; k?: number }): string {
  return Buffer.from(JSON.stringify({ at: c.at.toISOString(), id: c.id, k: c.k ?? 0 })).toString('base64url');
}

export function decodeFhirCursor(cursor: string | undefined): FhirCursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<FhirCursor>;
    if (typeof v.at === 'string' && !Number.isNaN(Date.parse(v.at)) && typeof v.id === 'string' && UUID.test(v.id))
      if (typeof v.k === 'number' && Number.isInteger(v.k) && v.k >= 0 && v.k < 100) return { at: v.at, id: v.id, k: v.k };
  } catch {
    // answered below
  }
  throw DomainError.validation([{ field: '_cursor', message: 'not a page link this server issued' }]);
}

export interface SearchPage {
  resources: FhirResource[];
  total: number;
  /** The cursor of the page after this one, or null on the last page. */
  nextCursor: string | null;
  /** Resources `_include` added (each once), not counted in `total`. */
  included?: FhirResource[];
}

/** The search URL of `type` with the parameters applied (the self link shows only those). */
export function searchUrl(base: string, type: string, applied: Array<[string, string]>, extra: Array<[string, string]> = []): string {
  const query = new URLSearchParams([...applied, ...extra]).toString();
  return `${base}/${type}${query ? `?${query}` : ''}`;
}

/** A searchset Bundle: every entry a match with its absolute fullUrl, `self` and (unless last) `next`. */
export function searchset(
  base: string,
  type: string,
  page: SearchPage,
  search: { applied: Array<[string, string]>; count: number; cursor: string | undefined },
): FhirResource {
  const paging = (cursor: string | undefined): Array<[string, string]> => [
    ['_count', String(search.count)],
    ...(cursor ? ([['_cursor', cursor]] as Array<[string, string]>) : []),
  ];
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: page.total,
    link: [
      { relation: 'self', url: searchUrl(base, type, search.applied, paging(search.cursor)) },
      ...(page.nextCursor ? [{ relation: 'next', url: searchUrl(base, type, search.applied, paging(page.nextCursor)) }] : []),
    ],
    entry: [
      ...page.resources.map((resource) => ({
        fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'match' },
      })),
      ...(page.included ?? []).map((resource) => ({
        fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'include' },
      })),
    ],
  };
}
