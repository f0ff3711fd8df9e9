import type { ContractDocumentInput } from "../../server/domain/contracts/contract-document";

/** $75 a lead for the first 100 of a month, $60 after: the tiers of both examples. */
const TWO_TIERS = [
  { upTo: 100, priceCents: 7500 },
  { upTo: null, priceCents: 6000 },
];

/** The example contract of docs/architecture.md, "The contract document". */
export const DESIGN_EXAMPLE: ContractDocumentInput = {
  effectiveFrom: "2026-12-01T00:00:00Z",
  qualification: {
    requiredFields: ["phone", "zip"],
    serviceArea: { zips: ["10001", "10002"], states: ["NY"] },
    minCallSeconds: 90,
    businessHours: { mon: [["08:00", "18:00"]], tue: [["08:00", "18:00"]] },
    duplicate: { windowDays: 30, fields: ["phone", "email"] },
    blocked: { phones: ["+12125550100"], emails: [], emailDomains: ["mailinator.com"] },
    custom: [{ field: "budget", op: "min", value: 5000 }],
  },
  pricing: {
    retainerCents: 0,
    leadPriceCents: 7500,
    tiers: TWO_TIERS,
    acquisitionPriceCents: 20000,
    revshareBps: 1000,
    monthlyCap: { leads: 200 },
  },
  disputes: {
    windowDays: 7,
    reasons: ["wrong_number", "out_of_area", "duplicate", "spam", "not_looking", "other"],
    autoApprove: ["duplicate"],
    agencyResponseDays: 3,
    maxReturnRateBps: 2000,
  },
};

/** The worked example's pricing (docs/architecture.md): retainer, two tiers, a CPA and revenue share. */
export const WORKED_EXAMPLE_PRICING = {
  retainerCents: 50_000,
  tiers: TWO_TIERS,
  acquisitionPriceCents: 20_000,
  revshareBps: 1000,
};
