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
  /** An ErrorCode; a refusal by clinical rules (`firstRuleUnmet`) is named by its first unmet rule instead. */
  readonly code: string;

  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
  }

  static validation(details: FieldProblem[]): DomainError {
    const fields = [...new Set(details.map((d) => d.field))].join(', ');
    return new DomainError(400, ErrorCode.ValidationFailed, `Invalid input: ${fields}`, details);
  }

  static notFound(resource: string): DomainError {
    return new DomainError(404, ErrorCode.NotFound, `${resource} not found`);
  }

  static conflict(code: ErrorCode, message: string, details: ErrorDetail[] = []): DomainError {
    return new DomainError(409, code, message, details);
  }

  static rulesUnmet(code: ErrorCode, message: string, rules: RuleProblem[]): DomainError {
    return new DomainError(422, code, message, rules);
  }

  /**
   * 422 listing every unmet rule, named (api.md) by the first of them: a code of the rules' own
   * family (the catalogues of clinical rules), not of ErrorCode. RULE_UNMET when none is given.
   */
  static firstRuleUnmet(message: string, rules: RuleProblem[]): DomainError {
    const error = new DomainError(422, ErrorCode.RuleUnmet, message, rules);
    return rules.length ? Object.assign(error, { code: rules[0].code }) : error;
  }

  static unauthenticated(code: ErrorCode = ErrorCode.Unauthenticated, message = 'Authentication required'): DomainError {
    return new DomainError(401, code, message);
  }

  static forbidden(message = 'Your role may not do this'): DomainError {
    return new DomainError(403, ErrorCode.Forbidden, message);
  }
}

/** What `lookup` finds, or null when it answers 404 (a record missing or another clinic's); any other failure stays one. */
export async function foundOrNull<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof DomainError && error.status === 404) return null;
    throw error;
  }
}
