/**
 * A bed location (HL7 PL: `point of care^room^bed^facility`, e.g. `INFUSION^^CHAIR-03^MAIN`) as Vigil
 * compares it: each component trimmed and upper-cased, empty trailing components dropped.
 */
export function normalizeLocation(text: string): string {
  return text
    .split('^')
    .map((c) => c.trim().toUpperCase())
    .join('^')
    .replace(/\^+$/, '');
}

/**
 * A registered location matches a sent PV1-3 when every component it names equals the sent one:
 * `INFUSION^^CHAIR-03` matches `INFUSION^^CHAIR-03^VIGIL_MAIN`; `^^CHAIR-03` matches any point of care.
 */
export function locationMatches(registered: string, sent: string): boolean {
  const want = normalizeLocation(registered).split('^');
  const got = normalizeLocation(sent).split('^');
  return want.some(Boolean) && want.every((c, i) => c === '' || c === (got[i] ?? ''));
}
