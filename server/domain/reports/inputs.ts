import { z } from "zod";

/** Report inputs: one zod schema per input, shared by tRPC, the console pages and the CSV route. */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-11-30").refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "is not a real date");

/** The longest date range a report covers (two years and a day). */
export const MAX_REPORT_DAYS = 731;

export const deliveryInput = z
  .object({
    /** The instant to report at (default: now); today / month are the client's, in its time zone. */
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .optional();
export type DeliveryInput = z.input<typeof deliveryInput>;

export const leadsPerDayInput = z
  .object({
    days: z.number().int().min(1).max(366).default(30),
    clientId: z.uuid().optional(),
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .optional();
export type LeadsPerDayInput = z.input<typeof leadsPerDayInput>;

export const summaryInput = z
  .object({
    /** First day (inclusive), a calendar date read in each client's own time zone. */
    from: isoDate,
    /** Last day (inclusive). */
    to: isoDate,
    clientId: z.uuid().optional(),
  })
  .refine((r) => r.from <= r.to, { message: "must not be before the start date", path: ["to"] })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 < MAX_REPORT_DAYS, {
    message: `a report covers at most ${MAX_REPORT_DAYS} days`,
    path: ["to"],
  });
export type SummaryInput = z.input<typeof summaryInput>;

export const auditListInput = z.object({
  /** Part of the actor's e-mail (or a system label such as "system:seed"), case-insensitive. */
  actor: z.string().trim().max(200).optional(),
  clientId: z.uuid().optional(),
  /** Record type, e.g. "client", "user", "contract_version". */
  entityType: z.string().trim().max(60).optional(),
  /** Exact record id. */
  entityId: z.string().trim().max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type AuditListInput = z.input<typeof auditListInput>;
