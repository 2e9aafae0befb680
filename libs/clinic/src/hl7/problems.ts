/** HL7 table 0357 (message error condition codes) as Vigil uses them in ERR-3. */
export const ERROR_CONDITIONS = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '203': 'Unsupported version id',
  '204': 'Unknown key identifier',
  '207': 'Application internal error',
} as const;
export type ErrorCondition = keyof typeof ERROR_CONDITIONS;

/**
 * One thing wrong with a message, named as ERR-2 locates it (segment, its occurrence, field,
 * component) and answered with `ack`: AE for bad content (nothing is stored from the message), AR
 * for what Vigil does not take at all (type, version, processing id) or cannot store right now.
 */
export interface Hl7Problem {
  ack: 'AE' | 'AR';
  code: ErrorCondition;
  segment: string;
  sequence: number;
  field: number;
  component?: number;
  text: string;
}

/** "OBX[3]-5" / "MSH-7": where a problem is, for logs and messages. */
export const where = (p: Pick<Hl7Problem, 'segment' | 'sequence' | 'field' | 'component'>): string =>
  `${p.segment}${p.segment === 'MSH' ? '' : `[${p.sequence}]`}-${p.field}${p.component ? `.${p.component}` : ''}`;
