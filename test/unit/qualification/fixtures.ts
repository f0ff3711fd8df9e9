import {
  contractDocumentSchema,
  type ContractDocument,
  type ContractDocumentInput,
} from "../../../server/domain/contracts/contract-document";
import type { JudgementFacts, LeadForJudgement } from "../../../server/domain/qualification/lead-input";

/** Test data builders for the qualification engine: a lead that passes everything, then override. */

export const NEW_YORK = "America/New_York";

/** Monday 7 December 2026, 10:00 in New York (15:00 UTC). */
export const MONDAY_10AM_NY = new Date("2026-12-07T15:00:00Z");

export function contract(qualification: ContractDocumentInput["qualification"] = {}): { id: string; document: ContractDocument } {
  return { id: "cv_test", document: contractDocumentSchema.parse({ qualification }) };
}

export function lead(overrides: Partial<LeadForJudgement> = {}): LeadForJudgement {
  return {
    source: "form",
    name: "Ada Lovelace",
    phone: "+12125550199",
    rawPhone: "(212) 555-0199",
    phoneValid: true,
    email: "ada@example.com",
    zip: "10001",
    state: "NY",
    fields: { budget: "6000" },
    receivedAt: MONDAY_10AM_NY,
    honeypotFilled: false,
    call: null,
    ...overrides,
  };
}

export function callLead(conversationSeconds: number | null, dialStatus: string | null = "completed", overrides: Partial<LeadForJudgement> = {}): LeadForJudgement {
  return lead({ source: "call", email: null, zip: null, state: null, fields: {}, call: { conversationSeconds, dialStatus }, ...overrides });
}

export function facts(overrides: Partial<JudgementFacts> = {}): JudgementFacts {
  return { timezone: NEW_YORK, earlierDuplicate: null, ...overrides };
}

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
    tiers: [
      { upTo: 100, priceCents: 7500 },
      { upTo: null, priceCents: 6000 },
    ],
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

export function designExample(): ContractDocument {
  return contractDocumentSchema.parse(DESIGN_EXAMPLE);
}

export function codes(reasons: readonly { code: string }[]): string[] {
  return reasons.map((r) => r.code);
}
