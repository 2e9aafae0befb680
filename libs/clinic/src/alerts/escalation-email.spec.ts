import { escalationEmail } from './escalation-email.js';

describe('the escalation email names the patient, chair, values and clinic time, not ids', () => {
  it.each([
    [
      'New York afternoon',
      'America/New_York',
      new Date('2026-11-29T19:05:00Z'),
      'Chair 3',
      'Vigil: critical alert unacknowledged, A.S. in Chair 3',
      'BP 185/110: systolic BP 185 ≥ 180; diastolic BP 110 ≥ 110. Patient A.S., Chair 3, raised at 14:05 (America/New_York), not acknowledged.',
    ],
    [
      'Lisbon, no chair yet',
      'Europe/Lisbon',
      new Date('2026-07-01T08:30:00Z'),
      null,
      'Vigil: critical alert unacknowledged, A.S. in no chair',
      'Patient A.S., no chair, raised at 09:30 (Europe/Lisbon)',
    ],
  ])('%s', (_what, timeZone, openedAt, chairLabel, subject, body) => {
    const mail = escalationEmail({
      level: 'critical',
      measure: 'blood-pressure',
      message: 'BP 185/110: systolic BP 185 ≥ 180; diastolic BP 110 ≥ 110',
      openedAt,
      patient: { firstName: 'ana', lastName: 'Souza' },
      chairLabel,
      timeZone,
    });
    expect(mail.subject).toBe(subject);
    expect(mail.body).toContain(body);
    expect(mail.body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});
