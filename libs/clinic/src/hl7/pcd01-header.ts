import { parseHl7Time, type Hl7Time } from './hl7-time.js';
import { component, components, type Hl7Message } from './message.js';
import type { Hl7Problem } from './problems.js';

/** What MSH says about a message: who sent it, what it is, and the key its resend is recognised by. */
export interface Pcd01Header {
  /** MSH-3 and MSH-4 as sent (components joined with ^): the gateway, with the TCP peer. */
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  messageTime: Hl7Time | null;
  messageType: string;
  controlId: string;
  processingId: string;
  version: string;
  charset: string;
  profile: string;
  /** The device EUI-64 when MSH-3 carries it (HD.2 with HD.3 `EUI-64`, as GE monitors send). */
  eui64: string | null;
}

/** HL7 versions Vigil takes: 2.3.1 to 2.8.x (PCD-01 is 2.6; older gateways send 2.3.1–2.5). */
const VERSIONS = /^2\.(3\.1|[4-8](\.\d+)?)$/;
export const EUI64 = /^[0-9A-Fa-f]{16}$/;

export interface HeaderOptions {
  /** Zone of a timestamp without an offset (the gateway's, by default the clinic's). */
  timeZone: string;
  /** MSH-11 values taken (default P: production; a test gateway may be configured to send T). */
  processingIds?: string[];
}

/** MSH read and checked: AR for a type, version or processing id Vigil does not take; AE for a missing control id or time. */
export function readHeader(msg: Hl7Message, opts: HeaderOptions): { header: Pcd01Header; problems: Hl7Problem[] } {
  const msh = msg.segments[0];
  const enc = msg.encoding;
  const joined = (n: number) => components(msh, n, enc).join('^').replace(/\^+$/, '');
  const timeText = component(msh, 7, 1, enc);
  const header: Pcd01Header = {
    sendingApplication: joined(3),
    sendingFacility: joined(4),
    receivingApplication: joined(5),
    receivingFacility: joined(6),
    messageTime: timeText ? parseHl7Time(timeText, opts.timeZone) : null,
    messageType: joined(9),
    controlId: component(msh, 10, 1, enc),
    processingId: component(msh, 11, 1, enc),
    version: component(msh, 12, 1, enc),
    charset: component(msh, 18, 1, enc),
    profile: component(msh, 21, 1, enc),
    eui64: mshEui64(components(msh, 3, enc)),
  };
  const problems: Hl7Problem[] = [];
  const at = (field: number, component?: number) => ({ segment: 'MSH', sequence: 1, field, component });
  const [type, event] = [component(msh, 9, 1, enc), component(msh, 9, 2, enc)];
  if (type !== 'ORU') problems.push({ ack: 'AR', code: '200', ...at(9, 1), text: `message type ${type || '(none)'}: Vigil takes ORU^R01` });
  else if (event !== 'R01') problems.push({ ack: 'AR', code: '201', ...at(9, 2), text: `event ${event || '(none)'}: Vigil takes ORU^R01` });
  if (!(opts.processingIds ?? ['P']).includes(header.processingId))
    problems.push({
      ack: 'AR',
      code: '202',
      ...at(11),
      text: `processing id ${header.processingId || '(none)'} is not taken from this gateway`,
    });
  if (!VERSIONS.test(header.version))
    problems.push({ ack: 'AR', code: '203', ...at(12), text: `HL7 version ${header.version || '(none)'}: Vigil takes 2.3.1 to 2.8` });
  if (!header.controlId) problems.push({ ack: 'AE', code: '101', ...at(10), text: 'the message control id is missing' });
  if (!timeText) problems.push({ ack: 'AE', code: '101', ...at(7), text: 'the message time is missing' });
  else if (!header.messageTime) problems.push({ ack: 'AE', code: '102', ...at(7), text: `"${timeText}" is not an HL7 time` });
  return { header, problems };
}

function mshEui64(hd: string[]): string | null {
  const [, id, type] = hd;
  return id && EUI64.test(id) && (type ?? '').toUpperCase() === 'EUI-64' ? id.toUpperCase() : null;
}
