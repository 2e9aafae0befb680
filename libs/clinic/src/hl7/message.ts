/**
 * HL7 v2 message text as segments, fields, components and subcomponents (pure functions).
 * Segments end with CR; some senders use CRLF or LF, which are taken too. Positions are HL7's:
 * 1-based, and MSH counts its field separator as MSH-1, so MSH-2 is the encoding characters.
 */

export interface Encoding {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export interface Segment {
  id: string;
  /** 1-based occurrence among segments of the same id (OBX 1, OBX 2 …): ERR-2 names a segment this way. */
  sequence: number;
  /** Raw fields, index = HL7 field number (index 0 is the segment id). */
  fields: string[];
}

export interface Hl7Message {
  encoding: Encoding;
  segments: Segment[];
}

export const DEFAULT_ENCODING: Encoding = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

/** The message's segments, or null when it does not start with an MSH segment Vigil can read. */
export function parseMessage(text: string): Hl7Message | null {
  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
  const first = lines[0]?.replace(/^\uFEFF/, '');
  if (!first || !first.startsWith('MSH') || first.length < 8) return null;
  const sep = first[3];
  const enc = first.slice(4, 8);
  if (/[A-Za-z0-9]/.test(sep) || new Set([sep, ...enc]).size !== 5) return null;
  const encoding: Encoding = { field: sep, component: enc[0], repetition: enc[1], escape: enc[2], subcomponent: enc[3] };
  const counts = new Map<string, number>();
  const segments = [first, ...lines.slice(1)].map((line) => {
    const parts = line.split(sep);
    const id = parts[0].trim().toUpperCase();
    const sequence = (counts.get(id) ?? 0) + 1;
    counts.set(id, sequence);
    // MSH-1 is the separator itself: shift so that fields[n] is MSH-n.
    const fields = id === 'MSH' ? ['MSH', sep, ...parts.slice(1)] : parts;
    return { id, sequence, fields };
  });
  return { encoding, segments };
}

/** The raw text of field `n` (first repetition), '' when absent. */
export function rawField(seg: Segment | undefined, n: number, enc: Encoding): string {
  const raw = seg?.fields[n] ?? '';
  return seg?.id === 'MSH' && n <= 2 ? raw : (raw.split(enc.repetition)[0] ?? '');
}

/** Component `c` (1-based) of field `n`, unescaped; '' when absent. */
export function component(seg: Segment | undefined, n: number, c: number, enc: Encoding): string {
  return unescape(rawField(seg, n, enc).split(enc.component)[c - 1] ?? '', enc).trim();
}

/** Every component of field `n`, unescaped (subcomponents kept with their separator). */
export function components(seg: Segment | undefined, n: number, enc: Encoding): string[] {
  const raw = rawField(seg, n, enc);
  return raw === '' ? [] : raw.split(enc.component).map((c) => unescape(c, enc).trim());
}

/** HL7 escape sequences: \F\ \S\ \T\ \R\ \E\ and \Xhh…\; others (formatting) are dropped. */
export function unescape(value: string, enc: Encoding): string {
  if (!value.includes(enc.escape)) return value;
  const e = enc.escape.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return value.replace(new RegExp(`${e}([^${e}]*)${e}`, 'g'), (_m, code: string) => {
    switch (code) {
      case 'F':
        return enc.field;
      case 'S':
        return enc.component;
      case 'T':
        return enc.subcomponent;
      case 'R':
        return enc.repetition;
      case 'E':
        return enc.escape;
      default:
        return /^X([0-9A-Fa-f]{2})+$/.test(code) ? Buffer.from(code.slice(1), 'hex').toString('utf8') : '';
    }
  });
}
