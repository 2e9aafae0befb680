import { ErrorCode } from './error-code.js';

export interface FieldProblem {
  field: string;
  message: string;
}

/** One unmet clinical or business rule; `overridable: false` marks a hard stop. */
export interface RuleProblem {
  code: string;
  message: string;
  overridable?: boolean;
  [extra: string]: unknown;
}

export type ErrorDetail = FieldProblem | RuleProblem;

/**
 * An error the domain raises on purpose. It carries the HTTP status and the stable code; the
 * one exception filter turns it into the api.md error shape.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(details: FieldProblem[]): DomainError {
    const fields = [...new Set(details.map((d) => d.field))].join(', ');
    return new DomainError(400, ErrorCode.ValidationFailed, `Invalid input: ${fields}`, details);
  }

  static notFound(resource: string): DomainError {
    return new DomainError(404, ErrorCode.NotFound, `${resource} not found`);
  }

  static conflict(code: ErrorCode | string, message: string, details: ErrorDetail[] = []): DomainError {
    return new DomainError(409, code, message, details);
  }

  static rulesUnmet(code: ErrorCode | string, message: string, rules: RuleProblem[]): DomainError {
    return new DomainError(422, code, message, rules);
  }

  static unauthenticated(code: ErrorCode = ErrorCode.Unauthenticated, message = 'Authentication required'): DomainError {
    return new DomainError(401, code, message);
  }

  static forbidden(message = 'Your role may not do this'): DomainError {
    return new DomainError(403, ErrorCode.Forbidden, message);
  }
}
