import { assembleBaseline, lastMeasured, type PreDoseReading } from './baseline.js';

const t0 = new Date('2026-11-21T09:00:00Z').getTime();
const at = (seconds: number) => new Date(t0 + seconds * 1000);
const reading = (id: string, seconds: number, v: Partial<PreDoseReading> = {}): PreDoseReading => ({
  id,
  measuredAt: at(seconds),
  systolic: null,
  diastolic: null,
  heartRate: null,
  spo2: null,
  ...v,
});
const BP = { systolic: 128, diastolic: 82 };
const HR = { heartRate: 72 };
const SPO2 = { spo2: 98 };

describe('the baseline a start is judged on (clinical-rules.md section 2)', () => {
  it.each<[string, PreDoseReading[], { bp: string; at: number; from: string[] } | null]>([
    ['one complete reading', [reading('a', 0, { ...BP, ...HR, ...SPO2 })], { bp: 'a', at: 0, from: ['a'] }],
    [
      'a cuff BP and the monitor’s HR/SpO2 40 s later',
      [reading('bp', 0, BP), reading('mon', 40, { ...HR, ...SPO2 })],
      { bp: 'bp', at: 0, from: ['bp', 'mon'] },
    ],
    [
      'the monitor first, the cuff 60 s later: exactly a minute',
      [reading('mon', 0, { ...HR, ...SPO2 }), reading('bp', 60, BP)],
      { bp: 'bp', at: 0, from: ['bp', 'mon'] },
    ],
    ['61 s apart: no baseline', [reading('bp', 0, BP), reading('mon', 61, { ...HR, ...SPO2 })], null],
    [
      'BP, HR and SpO2 as three readings within a minute',
      [reading('bp', 0, BP), reading('hr', 30, HR), reading('o2', 55, SPO2)],
      { bp: 'bp', at: 0, from: ['bp', 'hr', 'o2'] },
    ],
    [
      'the SpO2 is 70 s after the BP, the HR between: no set spans a minute',
      [reading('bp', 0, BP), reading('hr', 30, HR), reading('o2', 70, SPO2)],
      null,
    ],
    ['a BP alone', [reading('bp', 0, { ...BP, ...HR })], null],
    ['a systolic without its diastolic is no blood pressure', [reading('s', 0, { systolic: 128, ...HR, ...SPO2 })], null],
    ['no readings', [], null],
    [
      'the freshest set wins over an older complete reading',
      [reading('full', 0, { ...BP, ...HR, ...SPO2 }), reading('bp', 600, BP), reading('mon', 620, { ...HR, ...SPO2 })],
      { bp: 'bp', at: 600, from: ['bp', 'mon'] },
    ],
    [
      'an older set stays when the newer readings do not make one',
      [reading('bp', 0, BP), reading('mon', 20, { ...HR, ...SPO2 }), reading('late', 900, SPO2)],
      { bp: 'bp', at: 0, from: ['bp', 'mon'] },
    ],
    [
      'a set is as old as its oldest part',
      [reading('old-mon', 0, { ...HR, ...SPO2 }), reading('bp', 50, BP), reading('mon', 100, { ...HR, ...SPO2 })],
      { bp: 'bp', at: 50, from: ['bp', 'mon'] },
    ],
    [
      'two blood pressures in the minute: the later one',
      [reading('bp1', 0, BP), reading('mon', 10, { ...HR, ...SPO2 }), reading('bp2', 20, { systolic: 150, diastolic: 95 })],
      { bp: 'bp2', at: 10, from: ['bp2', 'mon'] },
    ],
  ])('%s', (_label, readings, expected) => {
    const b = assembleBaseline(readings);
    expect(b && { bp: b.readingId, at: (b.measuredAt.getTime() - t0) / 1000, from: [...b.readingIds].sort() }).toEqual(
      expected && { ...expected, from: [...expected.from].sort() },
    );
  });

  it('takes the blood pressure of the reading it names', () => {
    const b = assembleBaseline([reading('bp', 0, { systolic: 150, diastolic: 95 }), reading('mon', 5, { ...HR, ...SPO2 })]);
    expect(b).toMatchObject({ readingId: 'bp', systolic: 150, diastolic: 95 });
  });

  it('says when each vital was last measured, for a refusal to name what is missing', () => {
    expect(lastMeasured([reading('bp', 0, BP), reading('mon', 30, HR)])).toEqual({
      'blood-pressure': at(0),
      'heart-rate': at(30),
      spo2: null,
    });
  });
});
