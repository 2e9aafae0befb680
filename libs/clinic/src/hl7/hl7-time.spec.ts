import { formatHl7Time, parseHl7Time } from './hl7-time.js';

describe('HL7 times', () => {
  it.each([
    ['offset west of UTC', '20261129142812-0500', 'UTC', '2026-11-29T19:28:12.000Z', false],
    ['offset east of UTC', '20261129142812+0130', 'UTC', '2026-11-29T12:58:12.000Z', false],
    ['UTC', '20261129142812+0000', 'America/New_York', '2026-11-29T14:28:12.000Z', false],
    ['fractional seconds', '20261129142812.25-0500', 'UTC', '2026-11-29T19:28:12.250Z', false],
    ['minutes only', '202611291428-0500', 'UTC', '2026-11-29T19:28:00.000Z', false],
    ['no offset: the gateway zone (winter)', '20261129142812', 'America/New_York', '2026-11-29T19:28:12.000Z', true],
    ['no offset: the gateway zone (summer)', '20260701142812', 'America/New_York', '2026-07-01T18:28:12.000Z', true],
    ['no offset in UTC', '20261129142812', 'UTC', '2026-11-29T14:28:12.000Z', true],
  ])('%s: %s in %s', (_name, text, zone, iso, assumed) => {
    expect(parseHl7Time(text, zone)).toEqual({ at: new Date(iso), assumedZone: assumed });
  });

  it.each(['', '2026-11-29', '20261329142812-0500', '20260231120000', '20261129246000', '20261129142812-05', '20261129142812-0575', 'now'])(
    '"%s" is no time',
    (text) => expect(parseHl7Time(text, 'UTC')).toBeNull(),
  );

  it('writes UTC with its offset, to the millisecond', () => {
    expect(formatHl7Time(new Date('2026-11-29T19:30:06.123Z'))).toBe('20261129193006.123+0000');
  });
});
