import { signatureTimeProblems } from './signature-rules.js';

const now = new Date('2027-03-15T12:00:00Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);

describe('when a consent may be dated', () => {
  it.each([
    ['signed now', { signedAt: now }, []],
    ['signed yesterday', { signedAt: at(-86_400_000) }, []],
    ['2 minutes ahead (clock skew)', { signedAt: at(120_000) }, []],
    ['just over 2 minutes ahead', { signedAt: at(120_001) }, ['signedAt']],
    ['prescriber ahead', { signedAt: now, prescriberSignedAt: at(3_600_000) }, ['prescriberSignedAt']],
    ['both ahead', { signedAt: at(3_600_000), prescriberSignedAt: at(3_600_000) }, ['signedAt', 'prescriberSignedAt']],
  ])('%s', (_name, input, fields) => {
    expect(signatureTimeProblems(input, now).map((p) => p.field)).toEqual(fields);
  });
});
