import type { z } from "zod";
import { DomainError } from "../errors";

/** Parses input with a zod schema; failures become one VALIDATION_FAILED error with field issues. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw new DomainError("VALIDATION_FAILED", "The input is not valid.", {
    issues: r.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: i.message })),
  });
}
