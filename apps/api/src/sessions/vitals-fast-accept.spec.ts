import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { acceptsBatch, acceptsReading, VitalReadingDto, VitalsBatchDto } from './vitals.dto.js';

/** What the API's validation pipe decides without its fast path: class-transformer, then class-validator. */
const dtoAccepts = (dto: new () => object, body: unknown): boolean =>
  validateSync(plainToInstance<object, unknown>(dto, body), { whitelist: true, forbidNonWhitelisted: true }).length === 0;

const monitorReading = {
  measuredAt: '2026-11-21T09:30:00-05:00',
  source: 'device',
  deviceId: 'MON-03',
  systolic: 142,
  diastolic: 88,
  heartRate: 76,
  spo2: 97,
  respiratoryRate: 14,
};

// Values near and across every rule the DTO has: bounds, kinds, nulls, decimals, exponents.
const anyValue = fc.oneof(
  fc.constantFrom(undefined, null, '', 'MON-03', 'device', 'manual', 'x'.repeat(100), 'x'.repeat(101), true, [], {}),
  fc.constantFrom(0, 19, 20, 39, 40, 49, 50, 80, 81, 100, 101, 199, 200, 201, 300, 301, 5, 6, -1),
  fc.constantFrom(29.9, 30, 36.6, 36.65, 45, 45.1, 5e-324, 1e21, Number.NaN, Number.POSITIVE_INFINITY, 97.5),
  fc.constantFrom(
    '2026-11-21T09:30:00-05:00',
    '2026-11-21T09:30:00Z',
    '2026-11-21T09:30:00',
    '2026-11-21 09:30:00Z',
    '2026-02-30T09:30:00Z',
  ),
  fc.integer({ min: -10, max: 400 }),
  fc.double({ min: 25, max: 50, noNaN: true }),
  fc.string({ maxLength: 3 }),
);
const field = fc.constantFrom(...Object.keys(monitorReading), 'temperatureC', 'moaas', 'source', 'deviceId', 'extra', '__proto__');
// A real monitor's reading with some fields changed, dropped or added.
const mutatedReading = fc.array(fc.tuple(field, anyValue, fc.boolean()), { maxLength: 4 }).map((edits) => {
  const r: Record<string, unknown> = { ...monitorReading };
  for (const [k, v, drop] of edits) {
    if (drop) delete r[k];
    else Object.defineProperty(r, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return r;
});

describe('the fast path for vitals bodies accepts only what the DTO accepts', () => {
  it.each([
    ['a monitor’s reading', monitorReading],
    [
      'a manual reading with temperature and MOAA/S, no device',
      { measuredAt: '2026-11-21T14:30:00Z', source: 'manual', temperatureC: 36.6, moaas: 5 },
    ],
    ['a reading whose measures are null', { ...monitorReading, systolic: null, diastolic: null }],
  ])('takes %s (the DTO agrees)', (_name, body) => {
    expect(acceptsReading(body)).toBe(true);
    expect(dtoAccepts(VitalReadingDto, body)).toBe(true);
  });

  it.each([
    ['an unknown field', { ...monitorReading, note: 'x' }],
    ['a device reading without its device', { ...monitorReading, deviceId: undefined }],
    ['a systolic above 300', { ...monitorReading, systolic: 301 }],
    ['a heart rate of 72.5', { ...monitorReading, heartRate: 72.5 }],
    ['a temperature with two decimals', { ...monitorReading, temperatureC: 36.65 }],
    ['a timestamp without its offset', { ...monitorReading, measuredAt: '2026-11-21T09:30:00' }],
  ])('leaves %s to the full validation (which refuses it)', (_name, body) => {
    expect(acceptsReading(body)).toBe(false);
    expect(dtoAccepts(VitalReadingDto, body)).toBe(false);
  });

  it('never accepts a single reading the DTO refuses (generated readings)', () => {
    fc.assert(
      fc.property(mutatedReading, (body) => !acceptsReading(body) || dtoAccepts(VitalReadingDto, body)),
      { numRuns: 3000 },
    );
  });

  it('never accepts a batch the DTO refuses, and takes a monitor’s batch of 500', () => {
    const batch = fc.record({ readings: fc.array(fc.oneof(mutatedReading, fc.constant(monitorReading), anyValue), { maxLength: 4 }) });
    fc.assert(
      fc.property(batch, (body) => !acceptsBatch(body) || dtoAccepts(VitalsBatchDto, body)),
      { numRuns: 1000 },
    );
    const full = { readings: Array.from({ length: 500 }, () => monitorReading) };
    expect(acceptsBatch(full)).toBe(true);
    expect(acceptsBatch({ readings: [...full.readings, monitorReading] })).toBe(false);
    expect(acceptsBatch({ readings: [] })).toBe(false);
  });
});
