import { zoneOffsetMs } from '#platform';

/** An HL7 DTM (TS) value as an instant; `assumedZone` when it had no offset and the fallback zone was used. */
export interface Hl7Time {
  at: Date;
  assumedZone: boolean;
}

const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/;

/**
 * YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ] (HL7 v2 DTM). Without an offset the wall-clock time is read
 * in `timeZone`, as HL7 says for a sender's local time. Null when the text is not a valid DTM.
 */
export function parseHl7Time(text: string, timeZone: string): Hl7Time | null {
  const m = DTM.exec(text.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '0', offset] = m;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  const naive = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(naive);
  // Date.UTC rolls over out-of-range parts (month 13, 31 February): such a value is no time.
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    return null;
  if (offset) {
    const sign = offset[0] === '-' ? -1 : 1;
    const minutes = Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5));
    if (Number(offset.slice(3, 5)) > 59 || minutes > 14 * 60) return null;
    return { at: new Date(naive - sign * minutes * 60_000), assumedZone: false };
  }
  const guess = naive - zoneOffsetMs(new Date(naive), timeZone);
  return { at: new Date(naive - zoneOffsetMs(new Date(guess), timeZone)), assumedZone: true };
}

/** An instant as HL7 DTM in UTC with its offset: 20261129193006.123+0000. */
export function formatHl7Time(at: Date): string {
  const iso = at.toISOString(); // 2026-11-29T19:30:06.123Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}.${iso.slice(20, 23)}+0000`;
}
