import { DEFAULT_THRESHOLDS } from '#test/thresholds';
import type { ProtocolVersion } from '../protocols/index.js';
import type { Session } from '../sessions/index.js';
import { alertsToRaise, deviceKey, judgeReadings, type SessionContext, type Submission } from './judge.js';
import type { NewReading } from './reading.js';
import type { VitalReading } from './vital-reading.entity.js';

const T = DEFAULT_THRESHOLDS;
const T0 = new Date('2026-11-21T10:00:00Z').getTime();
const at = (min: number) => new Date(T0 + min * 60_000);
const actor = { userId: 'u1', clinicId: 'c1', role: 'nurse' as const };

function context(status: Session['status'], dosingStartedAt: Date | null = null, dosingEndedAt: Date | null = null): SessionContext {
  const s = {
    id: 's1',
    clinicId: 'c1',
    patientId: 'p1',
    status,
    dosingStartedAt,
    dosingEndedAt,
    baselineReadingId: null,
    lastReadingAt: null,
  } as Session;
  return { s, protocol: {} as ProtocolVersion, t: T, baseline: null, preDoseMoaas: null, changed: false, requestId: null };
}

const reading = (min: number, values: Partial<NewReading> = {}): NewReading => ({
  measuredAt: at(min),
  source: 'manual',
  systolic: 122,
  diastolic: 78,
  heartRate: 72,
  spo2: 98,
  ...values,
});

function judge(st: SessionContext, input: NewReading[], stored = new Map<string, VitalReading>()) {
  let n = 0;
  const subs: Submission[] = [{ actor, sessionId: 's1', input, batch: true, now: at(60), context: { requestId: 'r1' } }];
  const j = judgeReadings(subs, [0], new Map([['s1', st]]), stored, { newId: () => `r${++n}`, recordedAt: at(60) });
  return { subs, j };
}

describe('judging a group of readings', () => {
  it.each([
    ['before dosing: pre-dose', 'checked_in', null, null, 0, 'pre-dose'],
    ['while dosing', 'dosing', at(-10), null, 0, 'dosing'],
    ['paused', 'paused', at(-10), null, 0, 'dosing'],
    ['measured before the start, charted after it', 'dosing', at(-10), null, -20, 'pre-dose'],
    ['in observation', 'observation', at(-60), at(-20), 0, 'observation'],
    ['measured during dosing, charted in observation', 'observation', at(-60), at(-20), -30, 'dosing'],
    ['measured during dosing, charted after an abort', 'aborted', at(-60), at(-20), -21, 'dosing'],
  ] as const)('%s', (_name, status, startedAt, endedAt, min, phase) => {
    const { j } = judge(context(status, startedAt, endedAt), [reading(min)]);
    expect(j.judged.map((x) => x.row.phase)).toEqual([phase]);
  });

  it('takes the latest complete pre-dose set as the baseline, in measurement order', () => {
    const st = context('ready');
    const { j } = judge(st, [reading(3), reading(1), reading(2, { spo2: undefined })]);
    expect(st.s.baselineReadingId).toBe(j.judged.find((x) => x.row.measuredAt.getTime() === at(3).getTime())!.row.id);
    expect(st.s.lastReadingAt).toEqual(at(3));
    expect(st.changed).toBe(true);
    expect(j.results.get(0)!.views.map((v) => v.measuredAt)).toEqual([at(1), at(2), at(3)].map((d) => d.toISOString()));
  });

  it('a device reading already stored, or resent in the group, is a duplicate and writes nothing', () => {
    const st = context('dosing', at(-10));
    const device = (min: number, values: Partial<NewReading> = {}) => reading(min, { source: 'device', deviceId: 'm1', ...values });
    const old = { id: 'old', sessionId: 's1', deviceId: 'm1', ...device(0) } as VitalReading;
    const stored = new Map([[deviceKey('s1', 'm1', at(0)), old]]);
    const { j } = judge(st, [device(0), device(1), device(1)], stored);
    expect(j.results.get(0)).toMatchObject({ created: 1 });
    expect(j.results.get(0)!.views.map((v) => [v.id, v.duplicate])).toEqual([
      ['old', true],
      ['r1', false],
      ['r1', true],
    ]);
    expect(j.superseded).toEqual([]);
  });

  it('other values for a stored (device, time), or for one earlier in the group, are a correction that supersedes it', () => {
    const st = context('dosing', at(-10));
    const device = (min: number, values: Partial<NewReading> = {}) => reading(min, { source: 'device', deviceId: 'm1', ...values });
    const old = { id: 'old', sessionId: 's1', deviceId: 'm1', ...device(0), supersededAt: null } as VitalReading;
    const stored = new Map([[deviceKey('s1', 'm1', at(0)), old]]);
    const { j } = judge(st, [device(0, { systolic: 186 }), device(1), device(1, { spo2: 93 })], stored);
    expect(j.results.get(0)!.views.map((v) => [v.id, v.duplicate, v.systolic])).toEqual([
      ['r1', false, 186],
      ['r2', false, 122],
      ['r3', false, 122],
    ]);
    expect(j.judged.map((x) => x.supersedes)).toEqual(['old', null, 'r2']);
    expect(j.superseded).toEqual([expect.objectContaining({ id: 'old', supersededByReadingId: 'r1', supersededBy: 'u1' })]);
    expect(j.judged[1].row).toMatchObject({ supersededByReadingId: 'r3', supersededAt: at(60) });
    expect(j.judged.map((x) => x.breaches.map((b) => b.level))).toEqual([['critical'], [], ['warning']]);
  });

  it('a device warning waits for a run of the same device (read from before the first such reading); manual and critical ones alert at once', () => {
    const st = context('dosing', at(-10));
    const device = (min: number, systolic: number, deviceId = 'm1') => reading(min, { source: 'device', deviceId, systolic });
    const { subs, j } = judge(st, [device(1, 165), device(2, 166, 'm2'), device(3, 167), device(4, 185), reading(5, { systolic: 165 })]);
    expect(j.historyBefore).toEqual(new Map([['s1', at(1)]]));
    const raised = alertsToRaise(j.judged, new Map([['s1', []]]), subs);
    expect(raised.map((x) => [x.alert.measure, x.alert.level, x.alert.readingId])).toEqual([
      ['blood-pressure', 'warning', 'r3'],
      ['blood-pressure', 'critical', 'r4'],
      ['blood-pressure', 'warning', 'r5'],
    ]);
    const afterStored = alertsToRaise(j.judged, new Map([['s1', [{ deviceId: 'm1', measuredAt: at(0), breached: ['systolic'] }]]]), subs);
    expect(afterStored.map((x) => x.alert.readingId)).toEqual(['r1', 'r3', 'r4', 'r5']);
  });
});
