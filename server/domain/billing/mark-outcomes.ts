import { z } from "zod";
import { isDomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { markOutcome, type MarkOutcomeDeps, type OutcomeCaller } from "./mark-outcome";

export const markOutcomesInput = z
  .object({
    leadIds: z.array(z.uuid()).min(1, "choose at least one lead").max(100),
    outcome: z.enum(["won", "lost"]),
  })
  .strict();
export type MarkOutcomesInput = z.input<typeof markOutcomesInput>;

export interface MarkOutcomesResult {
  /** Leads whose outcome this call set. */
  changed: string[];
  /** Leads that already had that outcome (nothing written: the same call twice is harmless). */
  unchanged: string[];
  /** Leads the outcome could not be set on, with the reason in words. */
  skipped: { leadId: string; code: string; message: string }[];
}

/**
 * The inbox's bulk "mark won / mark lost": markOutcome for each chosen lead in turn, each in its own
 * transaction with the lead locked, so the charges, reversals and audit are exactly those of marking
 * them one by one (and a repeated request changes nothing). A lead that cannot take the outcome (not
 * qualified, a test lead, a revenue share needing the deal value, another client's) is reported, not
 * fatal to the rest.
 */
export async function markOutcomes(deps: MarkOutcomeDeps, caller: OutcomeCaller, raw: MarkOutcomesInput): Promise<MarkOutcomesResult> {
  const input = parseInput(markOutcomesInput, raw);
  const result: MarkOutcomesResult = { changed: [], unchanged: [], skipped: [] };
  for (const leadId of new Set(input.leadIds)) {
    try {
      const r = await markOutcome(deps, caller, { leadId, outcome: input.outcome });
      (r.changed ? result.changed : result.unchanged).push(leadId);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      result.skipped.push({ leadId, code: e.code, message: e.message });
    }
  }
  return result;
}
