import { DomainError } from "../domain/errors";

/**
 * PostgreSQL errors a client's input can cause that no validation upstream catches in practice:
 * text PostgreSQL cannot store (a NUL character, `\u0000`, in text or jsonb). Mapped to a 400 at the
 * edges (HTTP error handler, tRPC) instead of a 500. Drizzle wraps the driver's error in `cause`.
 */
const UNSTORABLE_TEXT = new Set(["22P05", "22021"]);

export function clientCausedDatabaseError(err: unknown): DomainError | null {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNSTORABLE_TEXT.has(code)) {
      return new DomainError("VALIDATION_FAILED", "The request contains text that cannot be stored (a NUL character, \\u0000). Remove it and send again.");
    }
  }
  return null;
}
