import type { Mappings } from '../../libs/clinic/src/hl7/index.js';
import { MDC_CODES, MDC_UNITS } from '../../migrations/1796598482911-SeedDeviceCodeMaps.js';

/** Vigil's seeded code and unit mappings, as the listener loads them for a gateway with no rows of its own. */
export function seededMappings(): Mappings {
  return {
    codes: MDC_CODES.map(([code, refid, field, unit, priority]) => ({
      code,
      refid,
      system: 'MDC',
      field: field as Mappings['codes'][number]['field'],
      unit,
      priority,
    })),
    units: MDC_UNITS.map(([unit, ucum, scale, offset]) => ({ unit, ucum, scale, offset })),
  };
}

const MSH_PCD = (time: string, controlId: string, receiver = 'VIGIL^vigil.example^DNS') =>
  `MSH|^~\\&|GW_PCD^0009FBFFFE4A1C20^EUI-64|VIGIL_MAIN_GW|${receiver}|VIGIL_MAIN|${time}||ORU^R01^ORU_R01|${controlId}|P|2.6|||NE|AL||UNICODE UTF-8|||PCD_DEC_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO`;

const HIERARCHY = [
  'OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X|||||||0009FBFFFE4A1C20^^0009FBFFFE4A1C20^EUI-64',
  'OBX|2||70686^MDC_DEV_PRESS_BLD_NONINV_VMD^MDC|1.1.0.0|||||||X',
  'OBX|3||70687^MDC_DEV_PRESS_BLD_NONINV_CHAN^MDC|1.1.1.0|||||||X',
];

/** A gateway-style PCD-01 message (segments end with CR): chair 3, a normal set of vitals. */
export const ORU_NORMAL = [
  MSH_PCD('20261129143005-0500', 'GW0009FB-20261129143005-0412'),
  'PID|||MRN004211^^^VIGIL^MR||DOE^JANE^^^^^L||19850214|F',
  'PV1||O|INFUSION^^CHAIR-03^VIGIL_MAIN',
  'OBR|1|GW0009FB-20261129143005-0412^GW_PCD^0009FBFFFE4A1C20^EUI-64|GW0009FB-20261129143005-0412^GW_PCD^0009FBFFFE4A1C20^EUI-64|182777000^monitoring of patient^SCT|||20261129143000-0500',
  ...HIERARCHY,
  'OBX|4|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|124|266016^MDC_DIM_MMHG^MDC|||||R|||20261129142812-0500',
  'OBX|5|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|78|266016^MDC_DIM_MMHG^MDC|||||R|||20261129142812-0500',
  'OBX|6|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.1.3|93|266016^MDC_DIM_MMHG^MDC|||||R|||20261129142812-0500',
  'OBX|7|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20261129143000-0500',
  'OBX|8|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|98|262688^MDC_DIM_PERCENT^MDC|||||R|||20261129143000-0500',
  'OBX|9|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC|1.3.1.2|73|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20261129143000-0500',
  'OBX|10|NM|151562^MDC_RESP_RATE^MDC|1.4.1.1|14|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R|||20261129143000-0500',
  'OBX|11|NM|150364^MDC_TEMP_BODY^MDC|1.5.1.1|36.8|268192^MDC_DIM_DEGC^MDC|||||R|||20261129143000-0500',
].join('\r');

/** The same monitor, a hypertensive NIBP (186/112: critical by clinical rules §3). */
export const ORU_HYPERTENSIVE = [
  MSH_PCD('20261129145105-0500', 'GW0009FB-20261129145105-0433'),
  'PID|||MRN004211^^^VIGIL^MR||DOE^JANE^^^^^L||19850214|F',
  'PV1||O|INFUSION^^CHAIR-03^VIGIL_MAIN',
  'OBR|1|GW0009FB-20261129145105-0433^GW_PCD^0009FBFFFE4A1C20^EUI-64|GW0009FB-20261129145105-0433^GW_PCD^0009FBFFFE4A1C20^EUI-64|182777000^monitoring of patient^SCT|||20261129145100-0500',
  ...HIERARCHY,
  'OBX|4|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|186|266016^MDC_DIM_MMHG^MDC||H|||R|||20261129145047-0500',
  'OBX|5|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|112|266016^MDC_DIM_MMHG^MDC||H|||R|||20261129145047-0500',
  'OBX|6|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.1.3|137|266016^MDC_DIM_MMHG^MDC|||||R|||20261129145047-0500',
  'OBX|7|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|96|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20261129145100-0500',
  'OBX|8|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|97|262688^MDC_DIM_PERCENT^MDC|||||R|||20261129145100-0500',
  'OBX|9|NM|151562^MDC_RESP_RATE^MDC|1.4.1.1|16|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R|||20261129145100-0500',
].join('\r');

/** No PID or OBR, MSH-7 without offset, a non-numeric value, a free-text unit, OBX-3 without coding system, status Q, SpO2 104, chair 99. */
export const ORU_MALFORMED = [
  'MSH|^~\\&|GW_PCD^0009FBFFFE4A1C20^EUI-64|VIGIL_MAIN_GW|VIGIL|VIGIL_MAIN|20261129150200||ORU^R01^ORU_R01|GW0009FB-20261129150200-0441|P|2.6|||NE|AL||UNICODE UTF-8|||PCD_DEC_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO',
  'PV1||O|INFUSION^^CHAIR-99^VIGIL_MAIN',
  'OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|---|266016^MDC_DIM_MMHG^MDC|||||R',
  'OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|1l2|mmHg|||||R|||20261129150155',
  'OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2|1.3.1.1|104|262688^MDC_DIM_PERCENT^MDC|||||Q|||20261129150155',
].join('\r');

/**
 * A PCD-01 message of our own making for tests that need fresh times and control ids: the MSH of
 * the gateway above, a PV1 location and OBX rows `[code^refid, value, unit, time]` (an HL7 time).
 */
export function oru(opts: {
  controlId: string;
  at: string;
  location?: string;
  eui64?: string;
  mrn?: string;
  rows: Array<[string, string, string, string]>;
}): string {
  const eui = opts.eui64 ?? '0009FBFFFE4A1C20';
  return [
    `MSH|^~\\&|GW_PCD^${eui}^EUI-64|VIGIL_MAIN_GW|VIGIL|VIGIL_MAIN|${opts.at}||ORU^R01^ORU_R01|${opts.controlId}|P|2.6|||NE|AL||UNICODE UTF-8`,
    `PID|||${opts.mrn ?? ''}`,
    `PV1||O|${opts.location ?? 'INFUSION^^CHAIR-03^VIGIL_MAIN'}`,
    `OBR|1|${opts.controlId}|${opts.controlId}|182777000^monitoring of patient^SCT|||${opts.at}`,
    `OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X|||||||${eui}^^${eui}^EUI-64`,
    ...opts.rows.map(([code, value, unit, time], i) => `OBX|${i + 2}|NM|${code}^MDC|1.1.1.${i + 1}|${value}|${unit}^MDC|||||R|||${time}`),
  ].join('\r');
}
