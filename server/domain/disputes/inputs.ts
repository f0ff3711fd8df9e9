import { z } from "zod";
import { DISPUTE_STATUSES } from "../billing/credit";

/**
 * Dispute inputs: one zod schema per input, shared by tRPC and (later) portal forms. Shapes only;
 * the rules that depend on the contract (reason allowed, note required for `other`, window …) are
 * checked by the use cases with messages a person can act on.
 */

const id = z.uuid();
const note = z.string().trim().max(2000);

export const openDisputeInput = z.object({
  leadId: id,
  reason: z.string().trim().min(1).max(50),
  note: note.optional(),
  /** Client-generated key (per form render): a double submit creates one dispute. */
  requestKey: z.string().trim().min(1).max(100).optional(),
});
export type OpenDisputeInput = z.input<typeof openDisputeInput>;

export const resolveDisputeInput = z.object({
  disputeId: id,
  decision: z.enum(["approve", "partial", "reject"]),
  /** partial: share of the lead's charges in basis points (5000 = 50 %). */
  percentBps: z.number().int().min(1).max(10_000).optional(),
  /** partial: a fixed credit in cents. */
  amountCents: z.number().int().min(1).optional(),
  note: note.optional(),
});
export type ResolveDisputeInput = z.input<typeof resolveDisputeInput>;

export const bulkApproveInput = z.object({
  disputeIds: z.array(id).min(1).max(200),
  note: note.optional(),
});
export type BulkApproveInput = z.input<typeof bulkApproveInput>;

export const disputeIdInput = z.object({ id });

export const listDisputesInput = z.object({
  clientId: id.optional(),
  status: z.enum(DISPUTE_STATUSES).optional(),
  reason: z.string().trim().min(1).max(50).optional(),
  campaignId: id.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type ListDisputesInput = z.input<typeof listDisputesInput>;

export const disputeStatsInput = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    clientId: id.optional(),
  })
  .refine((r) => new Date(r.from) < new Date(r.to), { message: "from must be before to", path: ["to"] });
export type DisputeStatsInput = z.input<typeof disputeStatsInput>;
