import { groupUnbound, placeText, valuesText, type UnboundReading } from './unbound.js';

const reading = (id: string, at: string, extra: Partial<UnboundReading> = {}): UnboundReading => ({
  id,
  reason: 'no-session',
  chairId: 'chair-7',
  deviceId: 'EUI-A',
  location: null,
  measuredAt: `2026-12-07T14:${at}:00.000Z`,
  values: { spo2: 97 },
  ...extra,
});

describe('unbound monitor readings on the board', () => {
  it.each([
    [{ systolic: 150, diastolic: 92, heartRate: 118, spo2: 85 }, 'BP 150/92 · HR 118 · SpO2 85'],
    [{ systolic: 150 }, 'BP 150/–'],
    [{ respiratoryRate: 14, temperatureC: 36.8 }, 'RR 14 · T 36.8'],
    [{}, 'no values'],
  ])('values %j read "%s"', (values, text) => {
    expect(valuesText(values)).toBe(text);
  });

  it.each([
    ['INFUSION^^CHAIR-03^VIGIL_MAIN', 'INFUSION CHAIR-03 VIGIL_MAIN'],
    ['BAY 9', 'BAY 9'],
    ['^^', null],
    [null, null],
  ])('bed location %j reads %j', (location, text) => {
    expect(placeText(location)).toBe(text);
  });

  it('groups a monitor’s readings by reason, newest first, named by its chair, else the location sent, else the device', () => {
    const chairs: Record<string, string> = { 'chair-7': 'Chair 7' };
    const groups = groupUnbound(
      [
        reading('a1', '02'),
        reading('b1', '10', { deviceId: 'EUI-B', chairId: null, reason: 'unknown-device', location: 'INFUSION^^BAY-9' }),
        reading('a2', '05'),
        reading('a3', '07', { reason: 'patient-mismatch' }),
        reading('c1', '01', { deviceId: 'EUI-C', chairId: 'retired-chair', reason: 'session-ended' }),
      ],
      (id) => chairs[id] ?? null,
    );
    expect(groups.map((g) => [g.where, g.chair, g.reason, g.readings.map((r) => r.id)])).toEqual([
      ['INFUSION BAY-9', null, 'unknown-device', ['b1']],
      ['Chair 7', 'Chair 7', 'patient-mismatch', ['a3']],
      ['Chair 7', 'Chair 7', 'no-session', ['a2', 'a1']],
      ['monitor EUI-C', null, 'session-ended', ['c1']],
    ]);
  });
});
