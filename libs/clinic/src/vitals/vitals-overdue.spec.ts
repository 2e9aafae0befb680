import { overdueWork, readingEveryMin } from './vitals-overdue.js';

describe('vitals overdue', () => {
  const iv = { duringDosingEveryMin: 5, observationEveryMin: 15 };
  const nasal = { duringDosingEveryMin: null, observationEveryMin: 30 };
  it.each([
    ['IV while dosing', iv, 'dosing', 5],
    ['IV paused', iv, 'paused', 5],
    ['IV in observation', iv, 'observation', 15],
    ['IV aborted', iv, 'aborted', 15],
    ['esketamine while dosing (no dosing interval)', nasal, 'dosing', 30],
    ['esketamine in observation', nasal, 'observation', 30],
  ] as const)('%s: every %s min', (_name, schedule, status, every) => {
    expect(readingEveryMin(schedule, status)).toBe(every);
  });

  it('is due after the interval and the grace', () => {
    const w = overdueWork({ id: 's1', clinicId: 'c1' }, new Date('2026-11-21T10:00:00Z'), 5, 3);
    expect(w).toMatchObject({ kind: 'vitals-overdue', subjectId: 's1', clinicId: 'c1' });
    expect(w.dueAt.toISOString()).toBe('2026-11-21T10:08:00.000Z');
  });
});
