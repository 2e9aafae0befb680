import { ORU_HYPERTENSIVE, ORU_MALFORMED, ORU_NORMAL, seededMappings } from '#test/hl7-samples';
import { where } from './problems.js';
import { parsePcd01 } from './pcd01.js';

const maps = seededMappings();
const parse = (text: string, timeZone = 'America/New_York', processingIds?: string[]) =>
  parsePcd01(text, maps, { timeZone, processingIds });
const problemsOf = (text: string) => parse(text)!.problems.map((p) => `${p.ack} ${p.code} ${where(p)}`);
const readingsOf = (text: string, timeZone?: string) =>
  parse(text, timeZone)!.readings.map((r) => ({
    at: r.measuredAt.toISOString(),
    ...r.values,
    ...(r.assumedZone && { assumedZone: true }),
  }));

/** The normal sample with its segments rewritten (one vendor's shape at a time). */
const variant = (edit: (segments: string[]) => string[]) => edit(ORU_NORMAL.split('\r')).join('\r');

describe('PCD-01 parser: the three reference messages', () => {
  it('normal: header, patient, bed, device and two readings (NIBP at its cuff time, the rest at 14:30); mean pressure and pulse rate kept raw', () => {
    const m = parse(ORU_NORMAL)!;
    expect(m.problems).toEqual([]);
    expect(m.header).toMatchObject({
      sendingApplication: 'GW_PCD^0009FBFFFE4A1C20^EUI-64',
      sendingFacility: 'VIGIL_MAIN_GW',
      controlId: 'GW0009FB-20261129143005-0412',
      messageType: 'ORU^R01^ORU_R01',
      version: '2.6',
      processingId: 'P',
      messageTime: { at: new Date('2026-11-29T19:30:05Z'), assumedZone: false },
    });
    expect(m).toMatchObject({ patientMrn: 'MRN004211', location: 'INFUSION^^CHAIR-03^VIGIL_MAIN', eui64: '0009FBFFFE4A1C20' });
    expect(readingsOf(ORU_NORMAL)).toEqual([
      { at: '2026-11-29T19:28:12.000Z', systolic: 124, diastolic: 78 },
      { at: '2026-11-29T19:30:00.000Z', heartRate: 72, spo2: 98, respiratoryRate: 14, temperatureC: 36.8 },
    ]);
    expect(m.observations.map((o) => `${o.sequence}:${o.kind}${o.outranked ? ' outranked' : ''}`)).toEqual([
      '1:hierarchy',
      '2:hierarchy',
      '3:hierarchy',
      '4:vital',
      '5:vital',
      '6:raw',
      '7:vital',
      '8:vital',
      '9:vital outranked',
      '10:vital',
      '11:vital',
    ]);
  });

  it('hypertensive: 186/112 at 14:50:47-05:00; the device’s own H flag is not read', () => {
    expect(parse(ORU_HYPERTENSIVE)!.problems).toEqual([]);
    expect(readingsOf(ORU_HYPERTENSIVE)).toEqual([
      { at: '2026-11-29T19:50:47.000Z', systolic: 186, diastolic: 112 },
      { at: '2026-11-29T19:51:00.000Z', heartRate: 96, spo2: 97, respiratoryRate: 16 },
    ]);
  });

  it('malformed: every content problem named for an AE (no OBR, non-numeric values, no coding system, status Q)', () => {
    expect(problemsOf(ORU_MALFORMED)).toEqual([
      'AE 100 OBX[1]-0',
      'AE 102 OBX[1]-5',
      'AE 102 OBX[2]-5',
      'AE 103 OBX[3]-11',
      'AE 101 OBX[3]-3.3',
    ]);
    // The time without an offset is read in the gateway's zone, and says so.
    expect(parse(ORU_MALFORMED)!.header.messageTime).toEqual({ at: new Date('2026-11-29T20:02:00Z'), assumedZone: true });
  });
});

describe('PCD-01 parser: other vendors’ shapes', () => {
  it.each([
    ['segments ending in LF', ORU_NORMAL.replace(/\r/g, '\n')],
    ['segments ending in CRLF', ORU_NORMAL.replace(/\r/g, '\r\n')],
    ['a trailing separator and blank lines', `${ORU_NORMAL.replace(/\r/g, '\r\r')}\r\n`],
  ])('%s: the same readings', (_name, text) => {
    expect(parse(text)!.problems).toEqual([]);
    expect(readingsOf(text)).toEqual(readingsOf(ORU_NORMAL));
  });

  it('GE style: device EUI-64 in MSH-3 and on every OBX-18 (B40_GE), PV1-3 point of care and bed, v2.4, units as UCUM', () => {
    const text = [
      'MSH|^~\\&|VSP^080019FFFE134535^EUI-64|GE Healthcare|||20261129143005+0000||ORU^R01|4401|P|2.4|||NE|AL',
      'PID|||',
      'PV1||I|SURGERY^^V2',
      'OBR|1|||182777000^monitoring of patient^SCT|||20261129143000+0000',
      'OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|131|mm[Hg]^mm[Hg]^UCUM|||||F|||20261129142900+0000||||080019FFFE0B4020^B40_GE',
      'OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|84|mm[Hg]^mm[Hg]^UCUM|||||F|||20261129142900+0000||||080019FFFE0B4020^B40_GE',
      'OBX|3|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|66|/min^/min^UCUM|||||F|||20261129143000+0000||||080019FFFE0B4020^B40_GE',
      'OBX|4|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|99|%^%^UCUM|||||F|||20261129143000+0000||||080019FFFE0B4020^B40_GE',
    ].join('\r');
    const m = parse(text)!;
    expect(m.problems).toEqual([]);
    expect(m).toMatchObject({ eui64: '080019FFFE0B4020', location: 'SURGERY^^V2', patientMrn: null });
    expect(m.header.eui64).toBe('080019FFFE134535');
    expect(readingsOf(text)).toEqual([
      { at: '2026-11-29T14:29:00.000Z', systolic: 131, diastolic: 84 },
      { at: '2026-11-29T14:30:00.000Z', heartRate: 66, spo2: 99 },
    ]);
  });

  it.each([
    ['°F by its MDC code', '266560^MDC_DIM_FAHR^MDC', '98.6', 37],
    ['°F in UCUM', '[degF]^[degF]^UCUM', '101.3', 38.5],
    ['°C in UCUM', 'Cel^Cel^UCUM', '36.6', 36.6],
    ['°C as free text', 'degC', '37.25', 37.3],
  ])('temperature %s converts to °C', (_name, unit, value, celsius) => {
    const text = variant((s) => [
      ...s.slice(0, 14),
      `OBX|11|NM|150364^MDC_TEMP_BODY^MDC|1.5.1.1|${value}|${unit}|||||R|||20261129143000-0500`,
    ]);
    expect(parse(text)!.readings[1].values.temperatureC).toBe(celsius);
  });

  it('an unknown unit on a mapped code is an error for that row; on an unknown code it is kept raw', () => {
    const text = variant((s) => [
      ...s.slice(0, 7),
      'OBX|4|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|16.5|kPa^kPa^UCUM|||||R|||20261129142812-0500',
      'OBX|5|NM|0002-4a05^NBPs^MDIL|1.1.1.1|124|mmHg|||||R|||20261129142812-0500',
      'OBX|6|NM|393216^NIBP_SYS^EHC|1.1.1.1|124|furlongs|||||R|||20261129142812-0500',
    ]);
    const m = parse(text)!;
    expect(m.problems.map((p) => `${p.code} ${where(p)} ${p.text}`)).toEqual([
      '103 OBX[4]-6 unit "kPa^kPa^UCUM" is not a unit of systolic (mm[Hg])',
    ]);
    expect(m.observations.slice(-2).map((o) => [o.code, o.kind, o.value])).toEqual([
      ['0002-4a05', 'raw', '124'],
      ['393216', 'raw', '124'],
    ]);
  });

  it('a message of device-hierarchy rows only: nothing to chart, nothing wrong', () => {
    const m = parse(variant((s) => s.slice(0, 7)))!;
    expect(m.problems).toEqual([]);
    expect(m.readings).toEqual([]);
    expect(m.observations.map((o) => o.kind)).toEqual(['hierarchy', 'hierarchy', 'hierarchy']);
    expect(m.eui64).toBe('0009FBFFFE4A1C20');
  });

  it.each([
    ['X: a hierarchy row, no value', 'X', 'hierarchy'],
    ['D: deleted by the device, not charted', 'D', 'retracted'],
    ['W: sent wrong, not charted', 'W', 'retracted'],
    ['C: a correction, charted', 'C', 'vital'],
    ['F: final, charted', 'F', 'vital'],
  ])('OBX-11 %s', (_name, status, kind) => {
    const text = variant((s) => [
      ...s.slice(0, 7),
      `OBX|4|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|97|%^%^UCUM|||||${status}|||20261129143000-0500`,
    ]);
    const m = parse(text)!;
    expect(m.problems).toEqual([]);
    expect(m.observations[3].kind).toBe(kind);
    expect(m.readings).toEqual(kind === 'vital' ? [expect.objectContaining({ values: { spo2: 97 } })] : []);
  });

  it.each([
    ['D with its value', 'D', '97', '%^%^UCUM', ['spo2']],
    ['W without a value or unit (as some gateways send a withdrawal)', 'W', '', '', ['spo2']],
  ])('a withdrawal (%s) names the field and time to withdraw, charts nothing', (_name, status, value, unit, fields) => {
    const text = variant((s) => [
      ...s.slice(0, 7),
      `OBX|4|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|${value}|${unit}|||||${status}|||20261129143000-0500`,
      `OBX|5|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1||266016^MDC_DIM_MMHG^MDC|||||W|||20261129142812-0500`,
      `OBX|6|NM|0002-4a05^NBPs^MDIL|1.1.1.1||mmHg|||||D|||20261129142812-0500`,
    ]);
    const m = parse(text)!;
    expect(m.problems).toEqual([]);
    expect(m.readings).toEqual([]);
    expect(m.retractions).toEqual([
      { measuredAt: new Date('2026-11-29T19:28:12Z'), fields: ['systolic'], obx: [5] },
      { measuredAt: new Date('2026-11-29T19:30:00Z'), fields, obx: [4] },
    ]);
    expect(m.observations.slice(-1).map((o) => o.kind)).toEqual(['raw']);
  });

  it('a withdrawal without a measurement time is named (nothing could say which value it withdraws)', () => {
    const text = variant((s) => [...s.slice(0, 3), 'OBR|1', ...s.slice(4, 7), 'OBX|4|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1||%|||||D']);
    expect(problemsOf(text)).toEqual(['AE 101 OBX[4]-14']);
  });

  it('OBX-14 empty: the reading takes OBR-7; neither: the row is named', () => {
    const withObr = variant((s) => [...s.slice(0, 7), 'OBX|4|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|97|%^%^UCUM|||||R']);
    expect(readingsOf(withObr)).toEqual([{ at: '2026-11-29T19:30:00.000Z', spo2: 97 }]);
    const without = withObr.replace('|||20261129143000-0500\r', '|||\r');
    expect(problemsOf(without)).toEqual(['AE 101 OBX[4]-14']);
  });

  it('a time without offset is read in the gateway’s zone and the reading says so', () => {
    const text = variant((s) => [...s.slice(0, 7), 'OBX|4|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|97|%^%^UCUM|||||R|||20260701093000']);
    expect(readingsOf(text, 'Europe/Lisbon')).toEqual([{ at: '2026-07-01T08:30:00.000Z', spo2: 97, assumedZone: true }]);
  });

  it('IEEE 11073 "no value" markers are kept raw, not charted', () => {
    const text = variant((s) => [
      ...s.slice(0, 7),
      'OBX|4|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|8388607|%^%^UCUM|||||R|||20261129143000-0500',
    ]);
    expect(parse(text)!.problems).toEqual([]);
    expect(parse(text)!.readings).toEqual([]);
  });

  it('the device is the EUI-64 of OBX-18; without one, that of MSH-3; without either, none', () => {
    const otherMsh = (s: string[]) => s[0].replace('GW_PCD^0009FBFFFE4A1C20', 'GW_PCD^00AAFFFFFE000001');
    expect(parse(variant((s) => [otherMsh(s), ...s.slice(1)]))!.eui64).toBe('0009FBFFFE4A1C20');
    expect(parse(variant((s) => [otherMsh(s), ...s.slice(1, 4), ...s.slice(5)]))!.eui64).toBe('00AAFFFFFE000001');
    const plain = variant((s) => [s[0].replace('GW_PCD^0009FBFFFE4A1C20^EUI-64', 'MONITOR'), ...s.slice(1, 4), ...s.slice(5)]);
    expect(parse(plain)!.eui64).toBeNull();
  });
});

describe('PCD-01 parser: what Vigil rejects (AR) and what it cannot read', () => {
  const msh = (edit: (fields: string[]) => void) => variant((s) => [((f) => (edit(f), f.join('|')))(s[0].split('|')), ...s.slice(1)]);
  it.each([
    ['an ADT message', (f: string[]) => (f[8] = 'ADT^A01^ADT_A01'), 'AR 200 MSH-9.1'],
    ['an alarm report (ORU^R40)', (f: string[]) => (f[8] = 'ORU^R40^ORU_R40'), 'AR 201 MSH-9.2'],
    ['processing id T', (f: string[]) => (f[10] = 'T'), 'AR 202 MSH-11'],
    ['HL7 2.2', (f: string[]) => (f[11] = '2.2'), 'AR 203 MSH-12'],
    ['no control id', (f: string[]) => (f[9] = ''), 'AE 101 MSH-10'],
    ['no message time', (f: string[]) => (f[6] = ''), 'AE 101 MSH-7'],
  ])('%s', (_name, edit, problem) => {
    expect(problemsOf(msh(edit))).toEqual([problem]);
  });

  it('a gateway configured as a test system may send processing id T', () => {
    const text = msh((f) => (f[10] = 'T'));
    expect(parse(text, 'UTC', ['P', 'T'])!.problems).toEqual([]);
  });

  it.each(['', 'PID|||MRN1', 'MSH', 'MSH|^~\\', 'garbage\rMSH|^~\\&|A'])('no readable MSH in %j: null (nothing to answer)', (text) => {
    expect(parse(text)).toBeNull();
  });

  it('escape sequences in values are decoded', () => {
    const text = variant((s) => [s[0], s[1], 'PV1||O|INFUSION^^CHAIR\\T\\03^MAIN', ...s.slice(3)]);
    expect(parse(text)!.location).toBe('INFUSION^^CHAIR&03^MAIN');
  });
});
