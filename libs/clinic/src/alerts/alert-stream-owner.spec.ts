import type { OwnerState } from './alert-stream-connection.js';
import { streamEndReason, type OwnerBaseline } from './alert-stream-owner.js';

const now = 1_000_000;
const baseline: OwnerBaseline = { role: 'nurse', credential: 'c1', tokenExpiresAt: now + 60_000 };
const same: OwnerState = { id: 'u', role: 'nurse', active: true, credential: 'c1' };

describe('streamEndReason', () => {
  it.each<[string, Partial<OwnerBaseline>, OwnerState | undefined, ReturnType<typeof streamEndReason>]>([
    ['an unchanged owner with a live token', {}, same, null],
    ['a token expiring now', { tokenExpiresAt: now }, same, 'token_expired'],
    [
      'a token expired a second ago, even for a deactivated owner',
      { tokenExpiresAt: now - 1000 },
      { ...same, active: false },
      'token_expired',
    ],
    ['a deactivated owner', {}, { ...same, active: false }, 'account_changed'],
    ['an owner no longer found', {}, undefined, 'account_changed'],
    ['a nurse made administrator', {}, { ...same, role: 'admin' }, 'account_changed'],
    [
      'a nurse made anesthesiologist (another role: the stream re-authenticates)',
      {},
      { ...same, role: 'anesthesiologist' },
      'account_changed',
    ],
    ['a new password', {}, { ...same, credential: 'c2' }, 'account_changed'],
  ])('%s', (_case, base, current, expected) => {
    expect(streamEndReason({ ...baseline, ...base }, current, now)).toBe(expected);
  });
});
