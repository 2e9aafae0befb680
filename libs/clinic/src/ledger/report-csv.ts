import { createHash } from 'node:crypto';

export type Cell = string | number | boolean | null;

/** A report's columns, in order: the row's key and the header printed for it. */
export type Columns<R> = ReadonlyArray<readonly [keyof R & string, string]>;

/**
 * RFC 4180 CSV (CRLF, quoted where needed; yes/no for booleans, empty for none) and its SHA-256, the
 * figure the audit trail keeps so a printed or mailed copy can be matched to what Vigil produced.
 */
export function toCsv<R extends { [K in keyof R]: Cell }>(columns: Columns<R>, rows: R[]): { csv: string; sha256: string } {
  const cell = (v: Cell) => {
    const s = v === null ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map(([, h]) => cell(h)).join(','), ...rows.map((r) => columns.map(([k]) => cell(r[k])).join(','))];
  const csv = `${lines.join('\r\n')}\r\n`;
  return { csv, sha256: sha256Of(csv) };
}

export const sha256Of = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');
