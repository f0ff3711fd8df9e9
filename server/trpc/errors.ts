import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { DomainError, type DomainErrorCode } from "../domain/errors";

/** The one place that maps domain error codes to tRPC codes. */
const TRPC_CODE: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION_FAILED: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  LEAD_NOT_FOUND: "NOT_FOUND",
  CLIENT_NOT_FOUND: "NOT_FOUND",
  FORM_NOT_FOUND: "NOT_FOUND",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  ORIGIN_NOT_ALLOWED: "FORBIDDEN",
  CONFLICT: "CONFLICT",
  EMAIL_TAKEN: "CONFLICT",
  NO_CONTRACT: "PRECONDITION_FAILED",
  INVALID_TRANSITION: "CONFLICT",
  CAP_REACHED: "UNPROCESSABLE_CONTENT",
  DISPUTE_WINDOW_CLOSED: "UNPROCESSABLE_CONTENT",
  DISPUTE_ALREADY_OPEN: "CONFLICT",
  LEAD_NOT_CHARGED: "UNPROCESSABLE_CONTENT",
  RETURN_RATE_EXCEEDED: "UNPROCESSABLE_CONTENT",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
};

export function toTRPCError(e: DomainError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[e.code], message: e.message, cause: e });
}
