import {
  contractDocumentSchema,
  type ContractDocument,
  type ContractDocumentInput,
} from "../../../server/domain/contracts/contract-document";
import type { JudgementFacts, LeadForJudgement } from "../../../server/domain/qualification/lead-input";
import { DESIGN_EXAMPLE } from "../../support/contracts";

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

export { DESIGN_EXAMPLE };

export function designExample(): ContractDocument {
  return contractDocumentSchema.parse(DESIGN_EXAMPLE);
}

export function codes(reasons: readonly { code: string }[]): string[] {
  return reasons.map((r) => r.code);
}
