/** A signature's status, computed when asked. */
export const CONSENT_STATUSES = ['active', 'expired', 'withdrawn', 'superseded'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export interface ConsentFacts {
  signedAt: Date;
  expiresAt: Date;
  withdrawnAt: Date | null;
  formVersion: number;
}

/**
 * clinical-rules.md section 6: active when signed, not withdrawn, not expired, and no newer
 * published version of the form requires re-consent. Withdrawal outranks everything, then
 * supersession, then expiry. `reconsentVersions`: published versions of the kind, at `now`,
 * that require re-consent.
 */
export function consentStatus(c: ConsentFacts, reconsentVersions: number[], now: Date): ConsentStatus {
  if (c.withdrawnAt && c.withdrawnAt.getTime() <= now.getTime()) return 'withdrawn';
  if (reconsentVersions.some((v) => v > c.formVersion)) return 'superseded';
  if (c.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** signedAt plus whole calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}
