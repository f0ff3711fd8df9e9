import { markOutcomeInput, outcomeCaller } from "../../domain/billing/mark-outcome";
import { clientProcedure } from "../init";

/**
 * `leads.markOutcome({ leadId, outcome, valueCents? })` — client users (client_admin, client_member)
 * mark one of their own leads won (with the deal value in cents) or lost. A lead of another client
 * answers NOT_FOUND; only a qualified lead can be won (LEAD_NOT_QUALIFIED). Mounted into the leads router.
 */
export const markOutcomeProcedure = clientProcedure
  .input(markOutcomeInput)
  .mutation(({ ctx, input }) => ctx.deps.billing.markOutcome(outcomeCaller(ctx.actor), input));
