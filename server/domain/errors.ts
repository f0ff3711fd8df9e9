/**
 * The one error type of the domain. Every entry point maps `code` to its own output
 * (HTTP status in server/http/errors.ts, tRPC code in server/trpc/errors.ts, retry policy in jobs/).
 * Domain code never knows about HTTP or tRPC.
 */
export const DOMAIN_ERROR_CODES = {
  VALIDATION_FAILED: "VALIDATION_FAILED",
  NOT_FOUND: "NOT_FOUND",
  LEAD_NOT_FOUND: "LEAD_NOT_FOUND",
  CLIENT_NOT_FOUND: "CLIENT_NOT_FOUND",
  FORM_NOT_FOUND: "FORM_NOT_FOUND",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  ORIGIN_NOT_ALLOWED: "ORIGIN_NOT_ALLOWED",
  CONFLICT: "CONFLICT",
  EMAIL_TAKEN: "EMAIL_TAKEN",
  EMAIL_UNAVAILABLE: "EMAIL_UNAVAILABLE",
  NO_CONTRACT: "NO_CONTRACT",
  INVALID_TRANSITION: "INVALID_TRANSITION",
  CAP_REACHED: "CAP_REACHED",
  DISPUTE_WINDOW_CLOSED: "DISPUTE_WINDOW_CLOSED",
  DISPUTE_ALREADY_OPEN: "DISPUTE_ALREADY_OPEN",
  LEAD_NOT_CHARGED: "LEAD_NOT_CHARGED",
  RETURN_RATE_EXCEEDED: "RETURN_RATE_EXCEEDED",
  RATE_LIMITED: "RATE_LIMITED",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  LEAD_NOT_QUALIFIED: "LEAD_NOT_QUALIFIED",
  PERIOD_NOT_ENDED: "PERIOD_NOT_ENDED",
  PERIOD_BEFORE_CLIENT: "PERIOD_BEFORE_CLIENT",
  PERIOD_BEFORE_CONTRACT: "PERIOD_BEFORE_CONTRACT",
  INVOICE_NOT_FOUND: "INVOICE_NOT_FOUND",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TEST_LEAD: "TEST_LEAD",
  TEST_KEY_NOT_ALLOWED: "TEST_KEY_NOT_ALLOWED",
} as const;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_CODES;

export interface DomainIssue {
  path: (string | number)[];
  message: string;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly issues?: DomainIssue[];
  readonly details?: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, opts: { issues?: DomainIssue[]; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.issues = opts.issues;
    this.details = opts.details;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
