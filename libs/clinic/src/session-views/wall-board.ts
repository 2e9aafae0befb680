import type { SessionStatus } from '../sessions/index.js';

/** How far back the board's trend charts reach. */
export const TREND_WINDOW_MIN = 60;

/** A measure's latest value and when it was measured. */
export interface LatestValue {
  value: number;
  measuredAt: string;
}

/** One active session as the wall board shows it: no name, no record number, the patient's initials and age only. */
export interface WallTile {
  sessionId: string;
  chairLabel: string | null;
  patient: { initials: string; age: number };
  protocol: { key: string; name: string };
  status: SessionStatus;
  /** Esketamine: the first device. */
  dosingStartedAt: string | null;
  dosingEndedAt: string | null;
  observation: { from: string | null; minimumMin: number; eligibleAt: string | null };
  anesthesiologist: string | null;
  vitals: {
    /** A value older than this is greyed (the discharge rule's freshness, clinical-rules §4). */
    staleAfterMin: number;
    /** When the next reading is due (dosed sessions); late by more than `overdueAfterMin`, it is overdue. */
    dueAt: string | null;
    overdueAfterMin: number;
    breachLevel: 'none' | 'warning' | 'critical';
    systolic: LatestValue | null;
    diastolic: LatestValue | null;
    heartRate: LatestValue | null;
    spo2: LatestValue | null;
    respiratoryRate: LatestValue | null;
  };
  /** The last TREND_WINDOW_MIN minutes, column by column: epoch seconds and each measure (null where not measured). */
  trend: { t: number[]; systolic: (number | null)[]; diastolic: (number | null)[]; heartRate: (number | null)[]; spo2: (number | null)[] };
  alerts: WallAlert[];
}

export interface WallAlert {
  id: string;
  measure: string;
  level: 'warning' | 'critical';
  status: 'open' | 'acknowledged';
  message: string;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  escalationLevel: number;
}

export interface WallBoard {
  clinic: { name: string; timeZone: string };
  /** The server's time: the page counts ages and countdowns from it, whatever the device's clock says. */
  now: string;
  trendWindowMin: number;
  sessions: WallTile[];
}

/** "AS" for Ana Souza: the first letter of the first and of the last name (accents kept, case raised). */
export function initialsOf(firstName: string, lastName: string): string {
  const first = (name: string) => Array.from(name.trim())[0]?.toLocaleUpperCase('en') ?? '';
  const last = lastName
    .trim()
    .split(/[\s-]+/)
    .filter(Boolean);
  return `${first(firstName)}${first(last[0] ?? '')}` || '?';
}

const CHAIRS = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Chair order as a person reads it ("Chair 2" before "Chair 10"); sessions without a chair last, by check-in. */
export function byChair<T extends { chairLabel: string | null }>(a: T, b: T): number {
  if (a.chairLabel === null || b.chairLabel === null) return a.chairLabel === b.chairLabel ? 0 : a.chairLabel === null ? 1 : -1;
  return CHAIRS.compare(a.chairLabel, b.chairLabel);
}

/**
 * When the next reading of a dosed session is due: `everyMin` after its latest reading or the move
 * that set the schedule (the start; the end of dosing or its abort), whichever is later. Null
 * before dosing, when no reading is due.
 */
export function vitalsDueAt(
  s: { status: SessionStatus; dosingStartedAt: Date | null; dosingEndedAt: Date | null; lastReadingAt: Date | null },
  everyMin: number,
): Date | null {
  const moved = s.status === 'dosing' || s.status === 'paused' ? s.dosingStartedAt : s.dosingEndedAt;
  if (!moved || !['dosing', 'paused', 'observation', 'aborted'].includes(s.status)) return null;
  const from = s.lastReadingAt && s.lastReadingAt > moved ? s.lastReadingAt : moved;
  return new Date(from.getTime() + everyMin * 60_000);
}
