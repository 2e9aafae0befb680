import { mayActOnFollowUp } from './assignee-rule.js';

describe('who acts on a follow-up', () => {
  // assigned to, acting role, may act
  it.each([
    ['nurse', 'nurse', true],
    ['nurse', 'anesthesiologist', true],
    ['nurse', 'admin', false],
    ['anesthesiologist', 'anesthesiologist', true],
    ['anesthesiologist', 'nurse', false],
    ['anesthesiologist', 'admin', false],
    ['admin', 'admin', true],
    ['admin', 'nurse', false],
    ['admin', 'anesthesiologist', false],
  ] as const)('a task assigned to the %s, by the %s: %s', (assignee, role, expected) => {
    expect(mayActOnFollowUp(role, assignee)).toBe(expected);
  });
});
