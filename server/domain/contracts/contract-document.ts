import { z } from "zod";
import { compilePattern } from "./pattern";

/**
 * The contract document (docs/architecture.md, "The contract document"). Field names are public and stable.
 * One zod schema, shared by tRPC `contracts.publish`, the CLI and the portal editor.
 */

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "must be HH:MM (24h)");
const dayRanges = z.array(z.tuple([hhmm, hhmm]).refine(([a, b]) => a < b, "start must be before end"));
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 phone like +12125550100");
const usState = z.string().regex(/^[A-Z]{2}$/, "must be a two-letter state code like NY");
const zip5 = z.string().regex(/^\d{5}$/, "must be a 5-digit ZIP");

export const customPredicateSchema = z.discriminatedUnion("op", [
  z.object({ field: z.string().min(1), op: z.literal("equals"), value: z.union([z.string(), z.number(), z.boolean()]) }),
  z.object({ field: z.string().min(1), op: z.literal("in"), value: z.array(z.union([z.string(), z.number()])).min(1) }),
  z.object({ field: z.string().min(1), op: z.literal("not_in"), value: z.array(z.union([z.string(), z.number()])).min(1) }),
  z.object({ field: z.string().min(1), op: z.literal("min"), value: z.number() }),
  z.object({ field: z.string().min(1), op: z.literal("max"), value: z.number() }),
  z.object({
    field: z.string().min(1),
    op: z.literal("matches"),
    value: z
      .string()
      .min(1)
      .superRefine((s, ctx) => {
        const compiled = compilePattern(s);
        if (!compiled.ok) ctx.addIssue({ code: "custom", message: `pattern refused: ${compiled.reason}` });
      }),
  }),
]);
export type CustomPredicate = z.infer<typeof customPredicateSchema>;

/**
 * The intake checks a contract rule or a dispute term can read (docs/decisions/021-intake-signals.md).
 * The values are stored with the lead's verdict, so a rule over them replays exactly.
 */
export const SIGNAL_NAMES = [
  "phone.valid",
  "phone.lineType",
  "phone.carrier",
  "email.valid",
  "email.disposable",
  "email.role",
  "ip.country",
  "ip.region",
  "ip.matchesZipState",
  "velocity.ipPerHour",
  "velocity.ipPerDay",
  "velocity.phonePerDay",
  "velocity.devicePerHour",
  "consent.certificate",
  "consent.verified",
  "quality.score",
] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];

const signalName = z.enum(SIGNAL_NAMES);
const signalScalar = z.union([z.string(), z.number(), z.boolean()]);
/** A rule over one intake signal: `{ "signal": "phone.lineType", "op": "in", "value": ["mobile", "landline"] }`. */
export const signalRuleSchema = z.discriminatedUnion("op", [
  z.object({ signal: signalName, op: z.literal("equals"), value: signalScalar }).strict(),
  z.object({ signal: signalName, op: z.literal("in"), value: z.array(signalScalar).min(1) }).strict(),
  z.object({ signal: signalName, op: z.literal("not_in"), value: z.array(signalScalar).min(1) }).strict(),
  z.object({ signal: signalName, op: z.literal("min"), value: z.number() }).strict(),
  z.object({ signal: signalName, op: z.literal("max"), value: z.number() }).strict(),
]);
export type SignalRule = z.infer<typeof signalRuleSchema>;

export const LEAD_FIELDS = ["name", "phone", "email", "zip", "state"] as const;

/**
 * How a lead's place is compared with the service area (docs/decisions/010-location-from-zip.md).
 * The lead's state is its ZIP's state when the ZIP is known, else the state it gave.
 *   zip_or_state  — the ZIP is listed, or the state is (what every version meant before the field existed)
 *   zip_and_state — the ZIP is listed and the state is
 *   zip_only      — the ZIP is listed; states are not used
 */
export const SERVICE_AREA_MATCHES = ["zip_or_state", "zip_and_state", "zip_only"] as const;
export type ServiceAreaMatch = (typeof SERVICE_AREA_MATCHES)[number];
/** What a stored version without `serviceArea.match` means. */
export const STORED_SERVICE_AREA_MATCH_DEFAULT: ServiceAreaMatch = "zip_or_state";

export const serviceAreaSchema = z
  .object({
    match: z.enum(SERVICE_AREA_MATCHES).default(STORED_SERVICE_AREA_MATCH_DEFAULT),
    zips: z.array(zip5).default([]),
    states: z.array(usState).default([]),
  })
  .strict()
  .superRefine((area, ctx) => {
    if (area.match === "zip_only" && area.states.length > 0) {
      ctx.addIssue({ code: "custom", path: ["states"], message: 'states are not used when match is "zip_only": remove them, or use "zip_or_state" or "zip_and_state"' });
    }
    if (area.match !== "zip_or_state" && area.zips.length === 0) {
      ctx.addIssue({ code: "custom", path: ["zips"], message: `match "${area.match}" needs at least one ZIP` });
    }
    if (area.match === "zip_and_state" && area.states.length === 0) {
      ctx.addIssue({ code: "custom", path: ["states"], message: 'match "zip_and_state" needs at least one state' });
    }
  });

export const qualificationSchema = z
  .object({
    requiredFields: z.array(z.string().min(1)).default([]),
    serviceArea: serviceAreaSchema.optional(),
    minCallSeconds: z.number().int().min(0).max(86_400).default(90),
    businessHours: z.partialRecord(z.enum(WEEKDAYS), dayRanges).optional(),
    duplicate: z
      .object({
        windowDays: z.number().int().min(1).max(3650),
        fields: z.array(z.enum(["phone", "email"])).min(1),
      })
      .strict()
      .optional(),
    blocked: z
      .object({
        phones: z.array(e164).default([]),
        emails: z.array(z.string().email()).default([]),
        emailDomains: z.array(z.string().min(3)).default([]),
      })
      .strict()
      .optional(),
    custom: z.array(customPredicateSchema).default([]),
    /** Rules over the intake signals (phone, e-mail, location, velocity, consent, quality score). */
    signals: z.array(signalRuleSchema).optional(),
    spam: z
      .object({
        honeypot: z.boolean().default(true),
        rejectInvalidPhone: z.boolean().default(true),
      })
      .strict()
      .optional(),
  })
  .strict();

export const tierSchema = z
  .object({ upTo: z.number().int().positive().nullable(), priceCents: z.number().int().min(0) })
  .strict();

/**
 * How the monthly retainer is billed for a month the client was served only in part (created, first
 * contract effective, or deactivated mid-month): "daily" = days served / days in the month (client
 * time zone), "none" = the whole retainer. New documents default to "daily"; a version stored
 * before the field existed means "none" (see `retainerProrationOf`, docs/decisions/009).
 */
export const RETAINER_PRORATIONS = ["daily", "none"] as const;
export type RetainerProration = (typeof RETAINER_PRORATIONS)[number];
/** What a stored version without `pricing.retainerProration` means: its invoices billed whole retainers. */
export const STORED_RETAINER_PRORATION_DEFAULT: RetainerProration = "none";

export const pricingSchema = z
  .object({
    retainerCents: z.number().int().min(0).default(0),
    retainerProration: z.enum(RETAINER_PRORATIONS).default("daily"),
    leadPriceCents: z.number().int().min(0).default(0),
    tiers: z
      .array(tierSchema)
      .min(1)
      .refine(
        (tiers) =>
          tiers.every((t, i) => (i === tiers.length - 1 ? true : t.upTo !== null)) &&
          tiers.every((t, i) => i === 0 || t.upTo === null || (tiers[i - 1]!.upTo ?? Infinity) < t.upTo),
        "tiers must be in ascending upTo order and only the last may have upTo null",
      )
      .optional(),
    acquisitionPriceCents: z.number().int().min(0).default(0),
    revshareBps: z.number().int().min(0).max(10_000).default(0),
    monthlyCap: z
      .object({ leads: z.number().int().positive().optional(), spendCents: z.number().int().positive().optional() })
      .strict()
      .refine((c) => c.leads !== undefined || c.spendCents !== undefined, "give leads or spendCents")
      .optional(),
  })
  .strict();

export const DISPUTE_REASONS = ["wrong_number", "out_of_area", "duplicate", "spam", "not_looking", "other"] as const;

export const disputeTermsSchema = z
  .object({
    windowDays: z.number().int().min(0).max(365).default(7),
    reasons: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).min(1).default([...DISPUTE_REASONS]),
    autoApprove: z.array(z.string()).default([]),
    agencyResponseDays: z.number().int().min(1).max(365).default(3),
    maxReturnRateBps: z.number().int().min(0).max(10_000).default(10_000),
    /**
     * Disputes approved at once on the lead's stored signals, e.g.
     * `{ "reason": "wrong_number", "when": { "signal": "phone.valid", "op": "equals", "value": false } }`.
     */
    approveOnSignals: z.array(z.object({ reason: z.string(), when: signalRuleSchema }).strict()).optional(),
  })
  .strict()
  .refine((d) => d.autoApprove.every((r) => d.reasons.includes(r)), {
    message: "every autoApprove reason must be one of reasons",
    path: ["autoApprove"],
  })
  .refine((d) => (d.approveOnSignals ?? []).every((a) => d.reasons.includes(a.reason)), {
    message: "every approveOnSignals reason must be one of reasons",
    path: ["approveOnSignals"],
  });

export const contractDocumentSchema = z
  .object({
    effectiveFrom: z.iso.datetime({ offset: true }).optional(),
    qualification: qualificationSchema.prefault({}),
    pricing: pricingSchema.prefault({}),
    disputes: disputeTermsSchema.prefault({}),
  })
  .strict();

/** What callers send (defaults not yet applied). */
export type ContractDocumentInput = z.input<typeof contractDocumentSchema>;
/** A parsed, defaulted document: what a ContractVersion stores and the engines read. */
export type ContractDocument = z.output<typeof contractDocumentSchema>;
export type QualificationRules = ContractDocument["qualification"];
export type Pricing = ContractDocument["pricing"];
/** Pricing as read from a stored version: documents published before `retainerProration` lack it. */
export type StoredPricing = Omit<Pricing, "retainerProration"> & { retainerProration?: RetainerProration };

/** A service area as read from a stored version: documents published before `match` lack it. */
export type StoredServiceArea = { match?: ServiceAreaMatch; zips?: string[]; states?: string[] };

/** The match mode of a stored service area; a version stored without the field means "zip_or_state". */
export function serviceAreaMatchOf(area: StoredServiceArea): ServiceAreaMatch {
  return area.match ?? STORED_SERVICE_AREA_MATCH_DEFAULT;
}

/** The proration rule of a stored pricing part; a version stored without the field means "none". */
export function retainerProrationOf(pricing: StoredPricing): RetainerProration {
  return pricing.retainerProration ?? STORED_RETAINER_PRORATION_DEFAULT;
}
export type DisputeTerms = ContractDocument["disputes"];

/** A published, immutable version as the domain sees it. */
export interface ContractVersion {
  id: string;
  contractId: string;
  clientId: string;
  version: number;
  effectiveFrom: Date;
  document: ContractDocument;
  createdAt: Date;
}
