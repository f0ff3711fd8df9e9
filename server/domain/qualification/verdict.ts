/**
 * A verdict as stored on a lead (docs/architecture.md "Verdict"). Reasons carry enough to show a person "why".
 * A qualified lead has no failing reasons; it may carry informational ones (e.g. MONTHLY_CAP_REACHED,
 * which keeps the lead qualified but makes it not billable).
 */
export const REASON_CODES = [
  "REQUIRED_FIELD_MISSING",
  "INVALID_PHONE",
  "HONEYPOT_FILLED",
  "OUT_OF_SERVICE_AREA",
  "OUTSIDE_BUSINESS_HOURS",
  "DUPLICATE",
  "BLOCKED_PHONE",
  "BLOCKED_EMAIL",
  "BLOCKED_EMAIL_DOMAIN",
  "CUSTOM_RULE_FAILED",
  "CALL_TOO_SHORT",
  "CALL_NOT_CONNECTED",
  "MONTHLY_CAP_REACHED",
  "SIGNAL_RULE_FAILED",
  "SIGNAL_UNAVAILABLE",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface VerdictReason {
  code: ReasonCode;
  /** The contract rule that produced it, as a path into the document, e.g. "qualification.serviceArea". */
  rule: string;
  /** One sentence a client can read: "ZIP 94105 is outside the service area". */
  message: string;
  observed: unknown;
  expected: unknown;
  /** Failing reasons disqualify; informational ones (cap) do not. */
  effect: "reject" | "info";
}

/** Where the lead was placed for the service area, and from what (verdicts of contracts with a service area). */
export interface VerdictLocation {
  zip: string | null;
  state: string | null;
  city: string | null;
  /** "zip": the state and city come from the ZIP dataset; "lead": the state as the lead gave it. */
  from: "zip" | "lead";
  /** In words: "ZIP 14201 is in NY (Buffalo)". */
  text: string;
}

export interface Verdict {
  qualified: boolean;
  /** False when qualified but beyond the monthly cap, or not qualified. */
  billable: boolean;
  contractVersionId: string;
  reasons: VerdictReason[];
  /** Present when the contract has a service area and the lead gave a ZIP or a state. */
  location?: VerdictLocation;
  /** Present when the lead was checked at intake (docs/decisions/021-intake-signals.md): its quality score, 0–100, and why. */
  quality?: VerdictQuality;
}

export interface VerdictQuality {
  score: number;
  band: "good" | "fair" | "poor";
  /** The checks in one line: "Phone: mobile, Verizon Wireless · E-mail: ok · IP: New York, NY, matches the ZIP". */
  summary: string;
  /** What lowered the score, in words. */
  deductions: { points: number; reason: string }[];
}
