export { ACK_CODES, buildAck, type AckCode, type AckInput } from './ack.js';
export { DEVICE_FIELDS, FIELD_UNITS, type CodeMapping, type DeviceField, type Mappings, type UnitMapping } from './code-maps.js';
export { locationMatches, normalizeLocation } from './location.js';
export { formatHl7Time, parseHl7Time, type Hl7Time } from './hl7-time.js';
export { parseMessage, type Hl7Message } from './message.js';
export { parsePcd01, type DeviceReading, type Observation, type Pcd01Message, type Retraction } from './pcd01.js';
export { readHeader, type HeaderOptions, type Pcd01Header } from './pcd01-header.js';
export { ERROR_CONDITIONS, where, type ErrorCondition, type Hl7Problem } from './problems.js';
