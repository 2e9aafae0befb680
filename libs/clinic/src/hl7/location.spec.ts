import { locationMatches, normalizeLocation } from './location.js';

describe('bed locations (PV1-3)', () => {
  it.each([
    ['INFUSION^^CHAIR-03^VIGIL_MAIN', 'INFUSION^^CHAIR-03^VIGIL_MAIN'],
    [' infusion ^^ chair-03 ^', 'INFUSION^^CHAIR-03'],
    ['SURGERY^^V2', 'SURGERY^^V2'],
    ['^^ICU&01&0&0&0', '^^ICU&01&0&0&0'],
  ])('%j reads as %j', (text, normalized) => expect(normalizeLocation(text)).toBe(normalized));

  it.each([
    ['INFUSION^^CHAIR-03^VIGIL_MAIN', 'INFUSION^^CHAIR-03^VIGIL_MAIN', true],
    ['INFUSION^^CHAIR-03', 'INFUSION^^CHAIR-03^VIGIL_MAIN', true],
    ['infusion^^chair-03', 'INFUSION^^CHAIR-03^VIGIL_MAIN', true],
    ['^^CHAIR-03', 'RECOVERY^^CHAIR-03^VIGIL_MAIN', true],
    ['INFUSION^^CHAIR-03', 'INFUSION^^CHAIR-30^VIGIL_MAIN', false],
    ['INFUSION^^CHAIR-03^OTHER', 'INFUSION^^CHAIR-03^VIGIL_MAIN', false],
    ['INFUSION^^CHAIR-03', 'INFUSION', false],
    ['', 'INFUSION^^CHAIR-03', false],
  ])('registered %j, sent %j: %s', (registered, sent, matches) => expect(locationMatches(registered, sent)).toBe(matches));
});
