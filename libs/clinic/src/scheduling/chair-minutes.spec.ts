import type { DoseRule } from '../protocols/index.js';
import { chairMinutes } from './chair-minutes.js';

const weightBased: DoseRule = { kind: 'weight-based', steps: [{ sessions: null, mgPerKg: 0.5 }] };
const spravato: DoseRule = { kind: 'fixed-devices', deviceMg: 28, allowedDosesMg: [56, 84], firstDoseMg: 56, minutesBetweenDevices: 5 };

describe('minutes a chair is held', () => {
  it.each([
    ['IV: 40 min infusion + 30 min observation + 15 turnover', 40, 30, 'dosing-end', weightBased, 15, 85],
    ['IV without turnover', 40, 30, 'dosing-end', weightBased, 0, 70],
    ['no duration, weight-based: observation only', null, 30, 'dosing-end', weightBased, 10, 40],
    ['esketamine: 3 devices 5 min apart inside the 120 min from the first device', null, 120, 'first-dose', spravato, 15, 135],
    ['esketamine after dosing ends: 15 + 120', null, 120, 'dosing-end', spravato, 0, 135],
    ['first-dose observation shorter than dosing: dosing holds the chair', 60, 30, 'first-dose', weightBased, 5, 65],
  ] as const)('%s', (_name, durationMin, minObservationMin, observationFrom, doseRule, turnover, expected) => {
    expect(chairMinutes({ durationMin, minObservationMin, observationFrom, doseRule }, turnover)).toBe(expected);
  });
});
