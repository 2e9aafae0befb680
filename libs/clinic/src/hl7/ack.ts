import { formatHl7Time } from './hl7-time.js';
import { ERROR_CONDITIONS, where, type Hl7Problem } from './problems.js';

/** HL7 table 0008: accepted, error in the content, rejected (the sender may retry). */
export const ACK_CODES = ['AA', 'AE', 'AR'] as const;
export type AckCode = (typeof ACK_CODES)[number];

export interface AckInput {
  /** What the inbound MSH said (null: Vigil could not read it; the ACK then names nobody). */
  inbound: { sendingApplication: string; sendingFacility: string; controlId: string; version: string } | null;
  code: AckCode;
  problems: Hl7Problem[];
  /** This ACK's own control id (MSH-10), unique per ACK. */
  controlId: string;
  at: Date;
  /** Vigil's MSH-3 and MSH-4. */
  application: string;
  facility: string;
}

/** A value written into a field: the separators it contains are escaped. */
const esc = (v: string) => v.replace(/\\/g, '\\E\\').replace(/\|/g, '\\F\\').replace(/~/g, '\\R\\');
/** A text written into one component. */
const text = (v: string) => esc(v).replace(/\^/g, '\\S\\').replace(/&/g, '\\T\\');

/**
 * The application acknowledgment (segments end with CR): MSH with the sender and receiver swapped,
 * a time with its offset and a control id of its own; MSA-2 echoes the inbound control id; AE and
 * AR carry the first problem's text in MSA-3 (read by older senders) and one ERR per problem
 * (ERR-2 location, ERR-3 from HL7 table 0357, ERR-4 E, ERR-7/8 text; 2.3.1 and 2.4 senders: ERR-1).
 */
export function buildAck(a: AckInput): string {
  const version = a.inbound?.version || '2.6';
  const msh = [
    'MSH',
    '^~\\&',
    text(a.application),
    text(a.facility),
    esc(a.inbound?.sendingApplication ?? ''),
    esc(a.inbound?.sendingFacility ?? ''),
    formatHl7Time(a.at),
    '',
    'ACK^R01^ACK',
    text(a.controlId),
    'P',
    esc(version),
  ].join('|');
  const problems = a.code === 'AA' ? [] : a.problems;
  const msa = ['MSA', a.code, text(a.inbound?.controlId ?? ''), ...(problems[0] ? [text(problems[0].text)] : [])].join('|');
  const legacy = /^2\.(3|4)/.test(version);
  const errs = problems.map((p) => {
    const location = [p.segment, p.sequence, p.field || '', '', p.component ?? ''].join('^').replace(/\^+$/, '');
    if (legacy) return `ERR|${location}^${p.code}&${ERROR_CONDITIONS[p.code]}&HL70357`;
    const detail = text(`${where(p)}: ${p.text}`);
    return ['ERR', '', location, `${p.code}^${ERROR_CONDITIONS[p.code]}^HL70357`, 'E', '', '', detail, text(p.text)].join('|');
  });
  return [msh, msa, ...errs].join('\r') + '\r';
}
