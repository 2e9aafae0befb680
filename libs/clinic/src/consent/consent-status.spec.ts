import { addMonths, consentStatus } from './consent-status.js';

describe('consent status (clinical-rules.md section 6)', () => {
  const signedAt = new Date('2026-01-10T10:00:00Z');
  const expiresAt = addMonths(signedAt, 12);
  const at = (iso: string) => new Date(iso);
  it.each([
    ['signed, within 12 months', null, [], '2026-06-01T00:00:00Z', 'active'],
    ['12 months later to the minute', null, [], '2027-01-10T10:00:00Z', 'expired'],
    ['one minute before expiry', null, [], '2027-01-10T09:59:00Z', 'active'],
    ['withdrawn', '2026-03-01T00:00:00Z', [], '2026-06-01T00:00:00Z', 'withdrawn'],
    ['withdrawal recorded for later has not happened yet', '2026-07-01T00:00:00Z', [], '2026-06-01T00:00:00Z', 'active'],
    ['withdrawn and expired: withdrawn wins', '2026-03-01T00:00:00Z', [], '2027-06-01T00:00:00Z', 'withdrawn'],
    ['a newer version requires re-consent', null, [2], '2026-06-01T00:00:00Z', 'superseded'],
    ['superseded and expired: superseded wins', null, [2], '2027-06-01T00:00:00Z', 'superseded'],
    ['only an older version required re-consent', null, [1], '2026-06-01T00:00:00Z', 'active'],
  ])('%s', (_label, withdrawnAt, reconsent, now, expected) => {
    const status = consentStatus(
      { signedAt, expiresAt, withdrawnAt: withdrawnAt ? at(withdrawnAt) : null, formVersion: 1 },
      reconsent,
      at(now),
    );
    expect(status).toBe(expected);
  });

  it.each([
    ['2026-01-31T12:00:00Z', 1, '2026-02-28T12:00:00.000Z'],
    ['2028-01-31T12:00:00Z', 1, '2028-02-29T12:00:00.000Z'],
    ['2026-01-10T10:00:00Z', 12, '2027-01-10T10:00:00.000Z'],
    ['2026-11-30T23:30:00Z', 3, '2027-02-28T23:30:00.000Z'],
  ])('%s plus %p months is %s', (from, months, expected) => {
    expect(addMonths(new Date(from), months).toISOString()).toBe(expected);
  });
});
