import { z } from "zod";
import { isUuid } from "../shared/formats";
import { SNIPPET_FIELD } from "../attribution/attribution";

/**
 * The shape a lead submission must have before normalization: a flat object of scalar values
 * (plus optional `fields` and `consent` objects). Semantic checks (missing phone, out of area …)
 * belong to the verdict, not to validation: a lead that parses is stored and judged.
 */
const scalar = z.union([z.string().max(5000), z.number().finite(), z.boolean(), z.null()]);
const value = z.union([scalar, z.array(scalar).max(50)]);
/** The vendor's `attribution` object: utm_* and click ids, landing page, referrer, and first/last touch objects of the same names. */
const attributionObject = z.record(z.string().max(100), z.union([scalar, z.record(z.string().max(100), scalar)]));
/** The tracking snippet's hidden field (first and last touch as JSON) may be longer than a lead field. */
const snippetText = z.string().max(20_000);

export const leadPayloadSchema = z
  .record(z.string().min(1).max(100), z.union([value, z.record(z.string().max(100), value), attributionObject, snippetText]))
  .refine((o) => Object.keys(o).length <= 100, "at most 100 fields")
  .superRefine((o, ctx) => {
    for (const [k, v] of Object.entries(o)) {
      if (v && typeof v === "object" && !Array.isArray(v) && k !== "fields" && k !== "consent" && k !== "attribution") {
        ctx.addIssue({ code: "custom", path: [k], message: "must be a text, number, boolean or a list of them (only `fields`, `consent` and `attribution` may be objects)" });
      }
      if (typeof v === "string" && v.length > 5000 && k !== SNIPPET_FIELD) ctx.addIssue({ code: "custom", path: [k], message: "must be at most 5000 characters" });
    }
    const email = o.email;
    if (email !== undefined && email !== null && typeof email !== "string") ctx.addIssue({ code: "custom", path: ["email"], message: "must be text" });
    const campaignId = o.campaignId ?? o.campaign_id;
    if (campaignId !== undefined && campaignId !== null && (typeof campaignId !== "string" || !isUuid(campaignId))) {
      ctx.addIssue({ code: "custom", path: ["campaignId"], message: "must be a campaign id (UUID)" });
    }
  });

export type LeadPayload = z.infer<typeof leadPayloadSchema>;

export const conversionInput = z
  .object({
    outcome: z.enum(["won", "lost"]),
    valueCents: z.number().int("must be whole cents").min(0).max(1_000_000_000_00).optional(),
  })
  .strict();
