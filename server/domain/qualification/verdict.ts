/**
 * A verdict as stored on a lead (docs/architecture.md "Verdict"). Reasons carry enough to show a person "why".
 * A qualified lead has no failing reasons; it may carry informational ones (e.g. MONTHLY_CAP_REACHED,
 * which keeps the lead qualified but makes it not billable).
 */
export type ReasonCode =
  | "REQUIRED_FIELD_MISSING"
  | "INVALID_PHONE"
  | "HONEYPOT_FILLED"
  | "OUT_OF_SERVICE_AREA"
  | "OUTSIDE_BUSINESS_HOURS"
  | "DUPLICATE"
  | "BLOCKED_PHONE"
  | "BLOCKED_EMAIL"
  | "BLOCKED_EMAIL_DOMAIN"
  | "CUSTOM_RULE_FAILED"
  | "CALL_TOO_SHORT"
  | "CALL_NOT_CONNECTED"
  | "MONTHLY_CAP_REACHED";

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

export interface Verdict {
  qualified: boolean;
  /** False when qualified but beyond the monthly cap, or not qualified. */
  billable: boolean;
  contractVersionId: string;
  reasons: VerdictReason[];
}
