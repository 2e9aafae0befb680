import { byChair, initialsOf, vitalsDueAt } from './wall-board.js';

describe('the wall board tile', () => {
  it.each([
    ['Ana', 'Souza', 'AS'],
    ['josé', 'núñez', 'JN'],
    ['Marguerite', 'Okonkwo-Delacroix', 'MO'],
    ['  Beatriz ', ' de la Cruz', 'BD'],
    ['Émile', 'Zola', 'ÉZ'],
    ['', '', '?'],
  ])('shows %s %s as %s, never the name', (first, last, initials) => {
    expect(initialsOf(first, last)).toBe(initials);
  });

  it('orders chairs as a person reads them, sessions without a chair last', () => {
    const chairs = ['Chair 10', null, 'Chair 2', 'chair 3', 'Bay A', 'Chair 1'].map((chairLabel) => ({ chairLabel }));
    expect(chairs.sort(byChair).map((c) => c.chairLabel)).toEqual(['Bay A', 'Chair 1', 'Chair 2', 'chair 3', 'Chair 10', null]);
  });

  const at = (min: number) => new Date(Date.UTC(2026, 2, 3, 9, min));
  it.each([
    ['before dosing nothing is due', { status: 'ready', dosingStartedAt: null, dosingEndedAt: null, lastReadingAt: at(0) }, 5, null],
    [
      'dosing, no reading since the start',
      { status: 'dosing', dosingStartedAt: at(0), dosingEndedAt: null, lastReadingAt: at(-5) },
      5,
      at(5),
    ],
    [
      'dosing, a reading since the start',
      { status: 'dosing', dosingStartedAt: at(0), dosingEndedAt: null, lastReadingAt: at(12) },
      5,
      at(17),
    ],
    ['paused counts as dosing', { status: 'paused', dosingStartedAt: at(0), dosingEndedAt: null, lastReadingAt: at(3) }, 5, at(8)],
    [
      'observation, from the end of dosing',
      { status: 'observation', dosingStartedAt: at(0), dosingEndedAt: at(40), lastReadingAt: at(38) },
      15,
      at(55),
    ],
    [
      'observation, from a later reading',
      { status: 'observation', dosingStartedAt: at(0), dosingEndedAt: at(40), lastReadingAt: at(50) },
      15,
      at(65),
    ],
    ['aborted, as observation', { status: 'aborted', dosingStartedAt: at(0), dosingEndedAt: at(10), lastReadingAt: null }, 15, at(25)],
  ] as const)('%s', (_what, session, everyMin, due) => {
    expect(vitalsDueAt(session, everyMin)).toEqual(due);
  });
});
