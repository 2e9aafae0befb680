/**
 * National Drug Codes as printed on a package (10 digits in the FDA's three shapes 4-4-2, 5-3-2 and
 * 5-4-1, or the 11-digit 5-4-2 billing form), and their 11-digit form (the short segment padded with
 * a leading zero) so that two spellings of one package compare equal.
 */
const SHAPES: Array<[RegExp, (p: string[]) => string]> = [
  [/^(\d{4})-(\d{4})-(\d{2})$/, ([a, b, c]) => `0${a}${b}${c}`],
  [/^(\d{5})-(\d{3})-(\d{2})$/, ([a, b, c]) => `${a}0${b}${c}`],
  [/^(\d{5})-(\d{4})-(\d{1})$/, ([a, b, c]) => `${a}${b}0${c}`],
  [/^(\d{5})-(\d{4})-(\d{2})$/, ([a, b, c]) => `${a}${b}${c}`],
];

/** The 11-digit form of an NDC, or null when it is none of the printed shapes. */
export function ndc11(ndc: string): string | null {
  for (const [shape, pad] of SHAPES) {
    const m = shape.exec(ndc);
    if (m) return pad(m.slice(1));
  }
  return null;
}

export const NDC_SHAPES = 'an NDC with its hyphens as printed: 4-4-2, 5-3-2, 5-4-1 or 5-4-2 digits (e.g. 50458-028-03)';
