import { z } from "zod";

/**
 * The text formats checked in many places, defined once. Lookups by id answer "not found" for a
 * malformed id without asking the database (PostgreSQL would reject it as a uuid anyway).
 */

/** A UUID in its canonical 8-4-4-4-12 hex form, either case. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

/** A billing period, 'YYYY-MM' (month 01–12); the groups are the year and the month. */
export const BILLING_PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The zod field for a billing period in an input. */
export const billingPeriodField = z.string().regex(BILLING_PERIOD_RE, "must be YYYY-MM");
