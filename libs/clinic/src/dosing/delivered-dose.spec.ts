import { devicesGiven, infusedMg, reconcileDose, type PumpEvent } from './delivered-dose.js';

// clinical-rules.md section 8, worked examples: 35 mg at 1 mg/mL over 40 min, started at 52.5 mL/h (52.5 mg/h).
const start = new Date('2026-11-21T10:00:00Z');
const at = (min: number) => new Date(start.getTime() + min * 60_000);
const pause = (min: number): PumpEvent => ({ at: at(min), kind: 'pause' });
const resume = (min: number): PumpEvent => ({ at: at(min), kind: 'resume' });
const rate = (min: number, rateMgPerH: number): PumpEvent => ({ at: at(min), kind: 'rate', rateMgPerH });

describe('the dose an infusion delivered, from its pump history', () => {
  it.each<[string, PumpEvent[], number, number]>([
    ['ran as ordered', [], 40, 35],
    ['ended 1 minute late: the bag holds no more than the dose', [], 41, 35],
    ['aborted at minute 15 of 40 (52.5 × 15/60)', [], 15, 13.1],
    ['a 2.6-minute pause, ended at 40', [pause(10), resume(12.6)], 40, 32.7],
    ['still paused at the end', [pause(30)], 40, 26.3],
    ['halved from minute 20 (26.3 mL/h)', [rate(20, 26.3)], 40, 26.3],
    [
      // 10 × 52.5 + 2.4 × 52.5 + 5 × 40 + 2 × 0 + 18 × 52.5, all ÷ 60
      'the clinic day: a 2.6-minute pause, then 40, 0 and 52.5 mL/h, ended at 40',
      [pause(10), resume(12.6), rate(15, 40), rate(20, 0), rate(22, 52.5)],
      40,
      29.9,
    ],
    ['a rate changed while paused applies from the resume', [pause(10), rate(12, 26.25), resume(20)], 40, 17.5],
    ['stopped (rate 0) from minute 20 to the end', [rate(20, 0)], 40, 17.5],
  ])('%s', (_name, events, endMin, mg) => {
    expect(infusedMg({ startedAt: start, endedAt: at(endMin), startRateMgPerH: 52.5, events, drawnMg: 35 })).toBe(mg);
  });
});

describe('esketamine is counted in devices, not by rate (one every 5 minutes)', () => {
  it.each([
    [2, 10, 2],
    [2, 5, 2],
    [3, 6, 2],
    [3, 4.9, 1],
    [3, 0, 1],
    [3, 30, 3],
  ])('%p devices ordered, ended at minute %p: %p given', (devices, endMin, given) => {
    expect(devicesGiven({ startedAt: start, endedAt: at(endMin), devices, minutesBetweenDevices: 5 })).toBe(given);
  });
});

describe('reconciling the delivered dose with the order (at the default tolerance, 5 % of the ordered dose)', () => {
  it.each<[string, number, number, number | null, number | null, number, number, boolean]>([
    // label, ordered, computed, bag left (mL), mg/mL, delivered, delivered − ordered, reason required
    ['as ordered', 35, 35, null, 1, 35, 0, false],
    ['1.7 mg short of 35: within 5 % (1.75 mg)', 35, 33.3, null, 1, 33.3, -1.7, false],
    ['1.8 mg short of 35: beyond', 35, 33.2, null, 1, 33.2, -1.8, true],
    ['the clinic day: 29.9 of 35 mg', 35, 29.9, null, 1, 29.9, -5.1, true],
    ['aborted at minute 15: 13.1 of 35 mg', 35, 13.1, null, 1, 13.1, -21.9, true],
    ['5 mL left in a 1 mg/mL bag: 30 mg measured', 35, 29.9, 5, 1, 30, -5, true],
    ['an empty bag: all 35 mg', 35, 34.9, 0, 1, 35, 0, false],
    ['a bag at 0.35 mg/mL with 10 mL left: 31.5 mg', 35, 35, 10, 0.35, 31.5, -3.5, true],
    ['esketamine, 2 of 3 devices (56 of 84 mg)', 84, 56, null, null, 56, -28, true],
  ])('%s', (_name, ordered, computed, left, conc, delivered, difference, reason) => {
    const r = reconcileDose({
      orderedDoseMg: ordered,
      computedDoseMg: computed,
      bagRemainingMl: left,
      concentrationMgPerMl: conc,
      tolerancePct: 5,
    });
    expect([r.deliveredDoseMg, r.differenceMg, r.beyondTolerance]).toEqual([delivered, difference, reason]);
  });

  it.each<[number, number, boolean]>([
    // the clinic's tolerance (%), mg delivered of 35 ordered, reason required
    [1, 34.7, false],
    [1, 34.6, true],
    [5, 33.3, false],
    [5, 33.2, true],
    [10, 31.5, false],
    [10, 31.4, true],
  ])('at a tolerance of %p %%, %p of 35 mg: reason required %p', (tolerancePct, computed, reason) => {
    const r = reconcileDose({ orderedDoseMg: 35, computedDoseMg: computed, bagRemainingMl: null, concentrationMgPerMl: 1, tolerancePct });
    expect([r.beyondTolerance, r.tolerancePct]).toEqual([reason, tolerancePct]);
  });

  it('shows how far the measured figure is from the computed one', () => {
    const r = reconcileDose({ orderedDoseMg: 35, computedDoseMg: 29.9, bagRemainingMl: 5, concentrationMgPerMl: 1, tolerancePct: 5 });
    expect(r).toMatchObject({ computedDoseMg: 29.9, measuredDoseMg: 30, measuredMinusComputedMg: 0.1, bagRemainingMl: 5 });
    expect(
      reconcileDose({ orderedDoseMg: 35, computedDoseMg: 35, bagRemainingMl: null, concentrationMgPerMl: 1, tolerancePct: 5 }),
    ).toMatchObject({
      measuredDoseMg: null,
      measuredMinusComputedMg: null,
    });
  });
});
