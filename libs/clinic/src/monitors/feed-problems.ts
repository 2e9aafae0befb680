import { DomainError, type FieldProblem } from '#platform';
import type { DeviceField, DeviceReading, Hl7Problem } from '../hl7/index.js';

/** The readings of one session's batch failed the vitals rules (plausibility, time): the problems, named on their OBX rows. */
export class ReadingsRefused extends Error {
  constructor(readonly problems: Hl7Problem[]) {
    super(problems.map((p) => p.text).join('; '));
  }
}

/**
 * A vitals refusal (400, fields `readings[i].spo2`) as HL7 problems: the OBX row each field came from
 * (OBX-5 for a value, OBX-14 for the time), code 102, the rule's text.
 */
export function refusalProblems(err: DomainError, readings: DeviceReading[]): Hl7Problem[] {
  return err.details.map((d): Hl7Problem => {
    const { field, message } = d as FieldProblem;
    const m = /^readings\[(\d+)\]\.(\w+)$/.exec(field ?? '');
    const reading = m ? readings[Number(m[1])] : undefined;
    if (!m || !reading) return { ack: 'AE', code: '207', segment: 'MSH', sequence: 1, field: 0, text: `${field}: ${message}` };
    const name = m[2];
    const first = Object.values(reading.obx)[0] ?? 1;
    const sequence = name === 'measuredAt' ? first : (reading.obx[name as DeviceField] ?? first);
    return { ack: 'AE', code: '102', segment: 'OBX', sequence, field: name === 'measuredAt' ? 14 : 5, text: `${name} ${message}` };
  });
}

/** A failure to store that a later resend may get past (the database away, a lock not granted): AR, "resend later". */
export function storeFailure(err: unknown): Hl7Problem {
  const text = err instanceof DomainError ? err.message : 'Vigil cannot store this message right now; resend it later';
  return { ack: 'AR', code: '207', segment: 'MSH', sequence: 1, field: 0, text };
}
