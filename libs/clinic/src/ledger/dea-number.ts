/**
 * A DEA registration number (DEA Diversion Control Division, registrant numbering): two letters (the
 * kind of registrant, then the initial of the registrant's last or business name, or 9), six digits
 * and a check digit. The check digit is the last digit of (d1 + d3 + d5) + 2 × (d2 + d4 + d6), so a
 * single mistyped digit or two swapped neighbours are caught before a record names the wrong registrant.
 */
export function deaNumberProblem(value: string): string | null {
  if (!/^[A-Z][A-Z9]\d{7}$/.test(value)) return 'two capital letters (the second may be 9) then seven digits, e.g. AB1234563';
  const d = [...value.slice(2)].map(Number);
  const sum = d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5]);
  return sum % 10 === d[6] ? null : `the check digit should be ${sum % 10}, not ${d[6]}: a digit is mistyped`;
}
