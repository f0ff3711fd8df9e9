import { DomainError } from "../domain/errors";

/**
 * PostgreSQL errors a client's input can cause that no validation upstream catches in practice:
 * text PostgreSQL cannot store (a NUL character, `\u0000`, in text or jsonb, or a lone surrogate in jsonb). Mapped to a 400 at the
 * edges (HTTP error handler, tRPC) instead of a 500. Drizzle wraps the driver's error in `cause`.
 */
const UNSTORABLE_TEXT = new Set(["22P05", "22021"]);

export function clientCausedDatabaseError(err: unknown): DomainError | null {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const message = String((e as { message?: unknown }).message ?? "");
    // A lone UTF-16 surrogate in JSON reaches jsonb as "\ud800" and fails its parse (22P02).
    const loneSurrogate = code === "22P02" && /surrogate/i.test(message);
    if ((typeof code === "string" && UNSTORABLE_TEXT.has(code)) || loneSurrogate) {
      return new DomainError("VALIDATION_FAILED", "The request contains text that cannot be stored (a NUL character, \\u0000, or a lone UTF-16 surrogate). Remove it and send again.");
    }
  }
  return null;
}
