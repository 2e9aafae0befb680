import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, type ErrorDetail } from '#platform';
import type { ErrorBody } from '../http/error.filter.js';

export const FHIR_BASE = 'fhir/R4';
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** OperationOutcome issue codes (http://hl7.org/fhir/issue-type) for Vigil's statuses. */
const ISSUE_CODE: Record<number, string> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  409: 'conflict',
  413: 'too-costly',
  415: 'not-supported',
  422: 'business-rule',
  429: 'throttled',
  503: 'transient',
};

const detailText = (d: ErrorDetail): string =>
  'field' in d ? `${String(d.field)}: ${d.message}` : `${String(d.code)}: ${String(d.message)}`;

/** Vigil's error as an OperationOutcome: an issue per bad parameter (or the error itself), Vigil's code beside the FHIR one. */
export function operationOutcome(body: ErrorBody): Record<string, unknown> {
  const code = ISSUE_CODE[body.statusCode] ?? 'exception';
  const issue = (diagnostics: string) => ({
    severity: 'error',
    code,
    details: { coding: [{ system: 'urn:vigil:error-code', code: body.code }], text: body.message },
    diagnostics,
  });
  return {
    resourceType: 'OperationOutcome',
    issue: body.details.length ? body.details.map((d) => issue(detailText(d))) : [issue(body.message)],
  };
}

/** The FHIR base URL as the client reached it (absolute: clients follow `next` links as given). */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/${FHIR_BASE}`;
}

/** `Prefer: handling=strict`: unknown search parameters are refused rather than ignored. */
export const strictHandling = (request: FastifyRequest): boolean =>
  /(^|[\s,;])handling\s*=\s*strict\b/i.test(String(request.headers['prefer'] ?? ''));

const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json', 'application/fhir json', 'application/json+fhir']);

/** JSON only: `_format` naming anything else, or an Accept admitting no JSON, is 406. */
export function checkFormat(request: FastifyRequest): void {
  const format = (request.query as Record<string, unknown> | undefined)?.['_format'];
  if (format !== undefined && (typeof format !== 'string' || !JSON_FORMATS.has(format.toLowerCase())))
    throw new DomainError(406, ErrorCode.NotAcceptable, 'Vigil serves FHIR as JSON only', [
      { field: '_format', message: 'json, application/json or application/fhir+json' },
    ]);
  const accept = String(request.headers['accept'] ?? '*/*').toLowerCase();
  if (!/json|\*\/\*|application\/\*/.test(accept))
    throw new DomainError(406, ErrorCode.NotAcceptable, 'Vigil serves FHIR as JSON only', [
      { field: 'Accept', message: 'application/fhir+json or application/json' },
    ]);
}
