import { clientCausedDatabaseError } from "../db/pg-errors";
import type { ErrorRequestHandler, Response } from "express";
import type { Logger } from "pino";
import { DomainError, type DomainErrorCode, type DomainIssue } from "../domain/errors";

/** The one place that maps domain error codes to HTTP statuses. */
export const HTTP_STATUS: Record<DomainErrorCode, number> = {
  VALIDATION_FAILED: 422,
  NOT_FOUND: 404,
  LEAD_NOT_FOUND: 404,
  CLIENT_NOT_FOUND: 404,
  FORM_NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  ORIGIN_NOT_ALLOWED: 403,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  EMAIL_UNAVAILABLE: 409,
  NO_CONTRACT: 409,
  INVALID_TRANSITION: 409,
  CAP_REACHED: 422,
  DISPUTE_WINDOW_CLOSED: 422,
  DISPUTE_ALREADY_OPEN: 409,
  LEAD_NOT_CHARGED: 422,
  RETURN_RATE_EXCEEDED: 422,
  RATE_LIMITED: 429,
  IDEMPOTENCY_KEY_REUSED: 422,
  UNSUPPORTED_MEDIA_TYPE: 415,
  LEAD_NOT_QUALIFIED: 422,
  PERIOD_NOT_ENDED: 422,
  PERIOD_BEFORE_CLIENT: 422,
  PERIOD_BEFORE_CONTRACT: 422,
  INVOICE_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  TEST_LEAD: 422,
  TEST_KEY_NOT_ALLOWED: 403,
};

export interface ErrorBody {
  error: { code: string; message: string; issues?: DomainIssue[] };
}

export function errorBody(code: string, message: string, issues?: DomainIssue[]): ErrorBody {
  return { error: { code, message, ...(issues && issues.length ? { issues } : {}) } };
}

export function sendError(res: Response, status: number, code: string, message: string, issues?: DomainIssue[]): void {
  if (res.headersSent) return;
  res.status(status).json(errorBody(code, message, issues));
}

export function domainErrorResponse(e: DomainError): { status: number; body: ErrorBody } {
  return { status: HTTP_STATUS[e.code], body: errorBody(e.code, e.message, e.issues) };
}

/** body-parser and http-errors carry `status` + `type`; map the ones a client can cause. */
function clientHttpError(err: unknown): { status: number; code: string; message: string } | null {
  if (!err || typeof err !== "object") return null;
  const e = err as { status?: number; statusCode?: number; type?: string; message?: string };
  const status = e.status ?? e.statusCode;
  switch (e.type) {
    case "entity.too.large":
      return { status: 413, code: "PAYLOAD_TOO_LARGE", message: "The request body is too large." };
    case "entity.parse.failed":
      return { status: 400, code: "MALFORMED_BODY", message: "The request body could not be parsed (malformed JSON or form data)." };
    case "encoding.unsupported":
    case "charset.unsupported":
      return { status: 415, code: "UNSUPPORTED_ENCODING", message: e.message ?? "Unsupported content encoding or charset." };
    case "request.aborted":
      return { status: 400, code: "REQUEST_ABORTED", message: "The request was aborted." };
    case "parameters.too.many":
      return { status: 413, code: "TOO_MANY_PARAMETERS", message: "Too many form parameters." };
  }
  if (typeof status === "number" && status >= 400 && status < 500) {
    return { status, code: "BAD_REQUEST", message: e.message ?? "Bad request." };
  }
  return null;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof DomainError) {
      const { status, body } = domainErrorResponse(err);
      if (!res.headersSent) res.status(status).json(body);
      return;
    }
    const stored = clientCausedDatabaseError(err);
    if (stored) {
      const { status, body } = domainErrorResponse(stored);
      if (!res.headersSent) res.status(status).json(body);
      return;
    }
    const client = clientHttpError(err);
    if (client) {
      sendError(res, client.status, client.code, client.message);
      return;
    }
    ((req as { log?: Logger }).log ?? logger).error({ err }, "unhandled error");
    sendError(res, 500, "INTERNAL", "Something went wrong on our side. The error has been logged.");
  };
}
