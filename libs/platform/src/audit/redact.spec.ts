import { redact } from './audit.service.js';

describe('audit changes never hold secrets', () => {
  it.each([
    [
      { password: 'x', name: 'Pat' },
      { password: '[redacted]', name: 'Pat' },
    ],
    [{ user: { passwordHash: 'h', role: 'nurse' } }, { user: { passwordHash: '[redacted]', role: 'nurse' } }],
    [
      { refreshToken: 't', tokens: [{ accessToken: 'a' }] },
      { refreshToken: '[redacted]', tokens: '[redacted]' },
    ],
    [{ items: [{ secret: 's', ok: 1 }] }, { items: [{ secret: '[redacted]', ok: 1 }] }],
  ])('%j becomes %j', (input, expected) => {
    expect(redact(input)).toEqual(expected);
  });
});
