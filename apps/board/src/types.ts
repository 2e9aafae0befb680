/** GET /api/v1/board, as the API documents it (openapi.json: WallBoardDto). */

export interface LatestValue {
  value: number;
  measuredAt: string;
}

export interface WallAlert {
  id: string;
  measure: string;
  level: 'warning' | 'critical';
  status: 'open' | 'acknowledged' | 'resolved';
  message: string;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  escalationLevel: number;
}

export interface Trend {
  t: number[];
  systolic: (number | null)[];
  diastolic: (number | null)[];
  heartRate: (number | null)[];
  spo2: (number | null)[];
}

export interface WallTile {
  sessionId: string;
  chairLabel: string | null;
  patient: { initials: string; age: number };
  protocol: { key: string; name: string };
  status: string;
  dosingStartedAt: string | null;
  dosingEndedAt: string | null;
  observation: { from: string | null; minimumMin: number; eligibleAt: string | null };
  anesthesiologist: string | null;
  vitals: {
    staleAfterMin: number;
    dueAt: string | null;
    overdueAfterMin: number;
    breachLevel: 'none' | 'warning' | 'critical';
    systolic: LatestValue | null;
    diastolic: LatestValue | null;
    heartRate: LatestValue | null;
    spo2: LatestValue | null;
    respiratoryRate: LatestValue | null;
  };
  trend: Trend;
  alerts: WallAlert[];
}

export interface WallBoard {
  clinic: { name: string; timeZone: string };
  now: string;
  trendWindowMin: number;
  sessions: WallTile[];
}

/** What the board needs to know at every redraw: the clinic's zone and the server's clock. */
export interface Frame {
  timeZone: string;
  /** Now by the server's clock (ms), whatever the device's clock says. */
  now(): number;
}
