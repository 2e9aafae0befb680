/** What the escalation email says about the alert, as the anesthesiologist reads it on a phone. */
export interface EscalationFacts {
  level: 'warning' | 'critical';
  measure: string;
  message: string;
  openedAt: Date;
  patient: { firstName: string; lastName: string };
  chairLabel: string | null;
  timeZone: string;
}

const initials = (p: EscalationFacts['patient']) =>
  [p.firstName, p.lastName].map((n) => n.trim().charAt(0).toLocaleUpperCase()).join('.') + '.';

/** The local time of the clinic, e.g. "14:05 (America/New_York)". */
export function clinicTime(at: Date, timeZone: string): string {
  const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return `${hhmm} (${timeZone})`;
}

/** Subject and body of an unacknowledged critical alert: the patient's initials, the chair, the values and the clinic's time; no ids. */
export function escalationEmail(f: EscalationFacts): { subject: string; body: string } {
  const who = initials(f.patient);
  const chair = f.chairLabel ?? 'no chair';
  const when = clinicTime(f.openedAt, f.timeZone);
  return {
    subject: `Vigil: ${f.level} alert unacknowledged, ${who} in ${chair}`,
    body: `${f.message}. Patient ${who}, ${chair}, raised at ${when}, not acknowledged. Open Vigil's alert board to acknowledge.`,
  };
}
