import { buildAck } from './ack.js';
import type { Hl7Problem } from './problems.js';

const inbound = {
  sendingApplication: 'GW_PCD^0009FBFFFE4A1C20^EUI-64',
  sendingFacility: 'VIGIL_MAIN_GW',
  controlId: 'GW-0412',
  version: '2.6',
};
const at = new Date('2026-11-29T19:30:06.123Z');
const base = { inbound, controlId: 'VIGIL-ACK-1', at, application: 'VIGIL', facility: 'VIGIL_MAIN' };
const problem: Hl7Problem = { ack: 'AE', code: '102', segment: 'OBX', sequence: 2, field: 5, text: '"1l2" is not a number' };

describe('HL7 acknowledgments', () => {
  it('AA: sender and receiver swapped, own control id, a time with its offset, MSA-2 echoes the message', () => {
    expect(buildAck({ ...base, code: 'AA', problems: [] }).split('\r')).toEqual([
      'MSH|^~\\&|VIGIL|VIGIL_MAIN|GW_PCD^0009FBFFFE4A1C20^EUI-64|VIGIL_MAIN_GW|20261129193006.123+0000||ACK^R01^ACK|VIGIL-ACK-1|P|2.6',
      'MSA|AA|GW-0412',
      '',
    ]);
  });

  it('AE: MSA-3 text and one ERR per problem (location, table 0357, severity, text)', () => {
    const second: Hl7Problem = { ack: 'AE', code: '101', segment: 'OBX', sequence: 3, field: 3, component: 3, text: 'no coding system' };
    expect(
      buildAck({ ...base, code: 'AE', problems: [problem, second] })
        .split('\r')
        .slice(1),
    ).toEqual([
      'MSA|AE|GW-0412|"1l2" is not a number',
      'ERR||OBX^2^5|102^Data type error^HL70357|E|||OBX[2]-5: "1l2" is not a number|"1l2" is not a number',
      'ERR||OBX^3^3^^3|101^Required field missing^HL70357|E|||OBX[3]-3.3: no coding system|no coding system',
      '',
    ]);
  });

  it('AR for an older sender (2.3.1): the error in ERR-1', () => {
    const ar: Hl7Problem = { ack: 'AR', code: '200', segment: 'MSH', sequence: 1, field: 9, component: 1, text: 'message type ADT' };
    const lines = buildAck({ ...base, inbound: { ...inbound, version: '2.3.1' }, code: 'AR', problems: [ar] }).split('\r');
    expect(lines.slice(1, 3)).toEqual(['MSA|AR|GW-0412|message type ADT', 'ERR|MSH^1^9^^1^200&Unsupported message type&HL70357']);
  });

  it('separators in texts are escaped', () => {
    const odd: Hl7Problem = { ...problem, text: 'a|b^c&d~e\\f' };
    expect(buildAck({ ...base, code: 'AE', problems: [odd] }).split('\r')[1]).toBe('MSA|AE|GW-0412|a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f');
  });
});
