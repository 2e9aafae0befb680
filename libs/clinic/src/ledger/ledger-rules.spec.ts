import { deaNumberProblem } from './dea-number.js';
import { ndc11 } from './ndc.js';
import { mgOf, quantityForDose } from './quantities.js';

describe('DEA registration numbers: format and check digit', () => {
  it.each([
    ['AB1234563', null],
    ['BJ6125341', null], // 6+2+3 + 2×(1+5+4) = 31 → 1
    ['F91234563', null], // 9 in second place: a business name that starts with a number
    ['AB1234564', 'the check digit should be 3, not 4: a digit is mistyped'],
    ['AB2134563', 'the check digit should be 2, not 3: a digit is mistyped'], // two neighbours swapped
    ['ab1234563', 'two capital letters (the second may be 9) then seven digits, e.g. AB1234563'],
    ['A1234563', 'two capital letters (the second may be 9) then seven digits, e.g. AB1234563'],
    ['AB12345630', 'two capital letters (the second may be 9) then seven digits, e.g. AB1234563'],
    ['9B1234563', 'two capital letters (the second may be 9) then seven digits, e.g. AB1234563'],
  ])('%s → %p', (value, problem) => {
    expect(deaNumberProblem(value)).toBe(problem);
  });
});

describe('NDC: the printed shapes and their 11-digit form', () => {
  it.each([
    ['50458-028-03', '50458002803'], // Spravato 84 mg kit (5-3-2)
    ['0409-2051-05', '00409205105'], // 4-4-2
    ['12345-6789-1', '12345678901'], // 5-4-1
    ['50458-0028-03', '50458002803'], // the 11-digit billing form of the same kit
    ['5045802803', null],
    ['50458-28-03', null],
    ['50458-028-003', null],
  ])('%s → %p', (ndc, eleven) => {
    expect(ndc11(ndc)).toBe(eleven);
  });
});

describe('a dose in the container’s unit', () => {
  const vial = (mgPerMl: number) => ({ unit: 'mL' as const, mgPerUnit: mgPerMl });
  const device = { unit: 'device' as const, mgPerUnit: 28 };
  it.each([
    // mg/mL, dose mg, mL
    [10, 35, 3.5],
    [50, 35, 0.7],
    [100, 35, 0.35],
    [50, 36.7, 0.734],
    [100, 34.1, 0.341],
  ])('%p mg/mL: %p mg is %p mL', (mgPerMl, doseMg, ml) => {
    expect(quantityForDose(vial(mgPerMl), doseMg)).toEqual({ quantity: ml });
    expect(mgOf(vial(mgPerMl), ml)).toBe(doseMg);
  });

  it.each([
    [56, { quantity: 2 }],
    [84, { quantity: 3 }],
    [28, { quantity: 1 }],
    [70, { problem: '70 mg is not a whole number of 28 mg devices' }],
  ])('esketamine %p mg → %p', (doseMg, expected) => {
    expect(quantityForDose(device, doseMg)).toEqual(expected);
  });
});
