import { DateTime } from "luxon";
import type { DisputeStatus } from "../billing/credit";
import type { DisputeTerms, QualificationRules } from "../contracts/contract-document";
import { DomainError } from "../errors";
import { BPS_DENOMINATOR, divRoundHalfUp } from "../money";
import type { EarlierDuplicate, LeadSource } from "../qualification/lead-input";
import { signalFinding, signalStatement } from "../qualification/describe";
import { qualityOf } from "../signals/quality";
import { evaluateSignalRule, type LeadSignals } from "../signals/signals";

/**
 * The dispute rules of a contract version (docs/architecture.md flow 4), as pure functions: the window, the
 * allowed reasons, the return-rate cap and the decisions the contract or the evidence take at once.
 */

const DAY_MS = 86_400_000;

/** The instant a lead's dispute window closes: `windowDays` × 24 h after it was received. */
export function windowClosesAt(receivedAt: Date, windowDays: number): Date {
  return new Date(receivedAt.getTime() + windowDays * DAY_MS);
}

/** When the agency must answer: `agencyResponseDays` × 24 h after opening. */
export function dueAtFor(openedAt: Date, agencyResponseDays: number): Date {
  return new Date(openedAt.getTime() + agencyResponseDays * DAY_MS);
}

/** "Nov 9" in the client's time zone ("Nov 9, 2025" when not in the year of `now`). */
export function formatDay(at: Date, timezone: string, now: Date): string {
  const local = DateTime.fromJSDate(at, { zone: timezone }).setLocale("en-US");
  const sameYear = local.year === DateTime.fromJSDate(now, { zone: timezone }).year;
  return local.toFormat(sameYear ? "LLL d" : "LLL d, yyyy");
}

/** "20%", "20.5%", "33.33%" — basis points as a percentage, integer arithmetic only. */
export function formatBps(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const frac = Math.abs(bps % 100);
  if (frac === 0) return `${whole}%`;
  return `${whole}.${String(frac).padStart(2, "0").replace(/0$/, "")}%`;
}

/** "November 2026" for the billing period "2026-11". */
export function formatPeriod(period: string): string {
  const d = DateTime.fromFormat(period, "yyyy-MM", { zone: "UTC" }).setLocale("en-US");
  return d.isValid ? d.toFormat("LLLL yyyy") : period;
}

/** Throws DISPUTE_WINDOW_CLOSED with the closing day when `now` is past the window. */
export function assertWindowOpen(input: { receivedAt: Date; windowDays: number; now: Date; timezone: string }): void {
  const closes = windowClosesAt(input.receivedAt, input.windowDays);
  if (input.now.getTime() > closes.getTime()) {
    throw new DomainError(
      "DISPUTE_WINDOW_CLOSED",
      `Disputes for this lead closed on ${formatDay(closes, input.timezone, input.now)} (${input.windowDays}-day window).`,
      { details: { closedAt: closes.toISOString(), windowDays: input.windowDays } },
    );
  }
}

/** The reason must be one the contract version lists; `other` needs a note saying what is wrong. */
export function assertReasonAllowed(terms: Pick<DisputeTerms, "reasons">, reason: string, note: string | null | undefined): void {
  if (!terms.reasons.includes(reason)) {
    throw new DomainError("VALIDATION_FAILED", `"${reason}" is not a dispute reason in this lead's contract. Choose one of: ${terms.reasons.join(", ")}.`, {
      issues: [{ path: ["reason"], message: `must be one of ${terms.reasons.join(", ")}` }],
    });
  }
  if (reason === "other" && !(note ?? "").trim()) {
    throw new DomainError("VALIDATION_FAILED", 'A note is required when the reason is "other": say what is wrong with the lead.', {
      issues: [{ path: ["note"], message: 'is required for reason "other"' }],
    });
  }
}

/**
 * The return-rate cap: (returned leads of the period + this one) / billable leads of the period
 * must not exceed maxReturnRateBps. Throws RETURN_RATE_EXCEEDED naming the numbers.
 */
export function assertReturnRateAllows(input: { returnedLeads: number; billableLeads: number; maxReturnRateBps: number; period: string }): void {
  const { returnedLeads, billableLeads, maxReturnRateBps, period } = input;
  if (maxReturnRateBps >= BPS_DENOMINATOR) return;
  const after = returnedLeads + 1;
  const denominator = Math.max(billableLeads, 1);
  if (after * BPS_DENOMINATOR > maxReturnRateBps * denominator) {
    const rate = divRoundHalfUp(after * BPS_DENOMINATOR, denominator);
    throw new DomainError(
      "RETURN_RATE_EXCEEDED",
      `This dispute would raise the return rate for ${formatPeriod(period)} to ${after} of ${billableLeads} billable leads (${formatBps(rate)}), above the contract's maximum of ${formatBps(maxReturnRateBps)}.`,
      { details: { period, returnedLeads, billableLeads, rateBps: rate, maxReturnRateBps } },
    );
  }
}

export interface AutomaticDecision {
  status: Extract<DisputeStatus, "approved" | "auto_approved">;
  by: "contract" | "evidence";
  note: string;
  evidence: Record<string, unknown>;
}

/**
 * What the contract or the evidence decide the moment a dispute is opened, or null (the dispute
 * goes to the agency queue):
 * - the reason is in the contract's autoApprove list → auto_approved;
 * - reason `duplicate` and an earlier lead of the client shares the phone or e-mail within the
 *   version's duplicate window → approved, citing the earlier lead;
 * - a call lead whose conversation was shorter than minCallSeconds (any reason) → approved;
 * - the reason has an `approveOnSignals` term whose rule the lead's stored intake signals meet
 *   (e.g. `wrong_number` when the phone check said the number is not valid) → approved, citing it.
 */
export function automaticDecision(input: {
  reason: string;
  terms: Pick<DisputeTerms, "autoApprove"> & { approveOnSignals?: DisputeTerms["approveOnSignals"] };
  qualification: Pick<QualificationRules, "minCallSeconds" | "duplicate">;
  lead: { source: LeadSource; callConversationSeconds: number | null; storedSignals?: LeadSignals | null };
  earlierLead: EarlierDuplicate | null;
  timezone: string;
  now: Date;
}): AutomaticDecision | null {
  const { reason, terms, qualification, lead, earlierLead } = input;
  if (terms.autoApprove.includes(reason)) {
    return { status: "auto_approved", by: "contract", note: `Approved automatically: the contract approves "${reason}" disputes.`, evidence: { autoApprove: terms.autoApprove } };
  }
  if (reason === "duplicate" && earlierLead && qualification.duplicate) {
    return {
      status: "approved",
      by: "evidence",
      note: `Approved on evidence: lead ${earlierLead.leadId} received ${formatDay(earlierLead.receivedAt, input.timezone, input.now)} has the same ${earlierLead.matchedOn === "phone" ? "phone number" : "e-mail"}, within the contract's ${qualification.duplicate.windowDays}-day duplicate window.`,
      evidence: { earlierLeadId: earlierLead.leadId, matchedOn: earlierLead.matchedOn, earlierReceivedAt: earlierLead.receivedAt.toISOString(), windowDays: qualification.duplicate.windowDays },
    };
  }
  const signals = lead.storedSignals;
  if (signals) {
    for (const term of terms.approveOnSignals ?? []) {
      if (term.reason !== reason) continue;
      const o = evaluateSignalRule(term.when, signals, qualityOf(signals).score);
      if (o.result !== "pass") continue;
      return {
        status: "approved",
        by: "evidence",
        note: `Approved on evidence: at intake, ${signalFinding(term.when.signal, o.observed)}; the contract approves "${reason}" disputes when ${signalStatement(term.when)}.`,
        evidence: { signal: term.when.signal, observed: o.observed, rule: term.when },
      };
    }
  }
  if (lead.source === "call" && lead.callConversationSeconds !== null && lead.callConversationSeconds < qualification.minCallSeconds) {
    return {
      status: "approved",
      by: "evidence",
      note: `Approved on evidence: the call lasted ${lead.callConversationSeconds} s, below the contract minimum of ${qualification.minCallSeconds} s.`,
      evidence: { conversationSeconds: lead.callConversationSeconds, minCallSeconds: qualification.minCallSeconds },
    };
  }
  return null;
}

/** Whether a stored earlier-duplicate fact counts for a dispute: before the lead and inside the window. */
export function earlierDuplicateInWindow(d: EarlierDuplicate | null, leadReceivedAt: Date, windowDays: number | undefined): EarlierDuplicate | null {
  if (!d || windowDays === undefined) return null;
  const at = new Date(d.receivedAt);
  if (Number.isNaN(at.getTime())) return null;
  const since = leadReceivedAt.getTime() - windowDays * DAY_MS;
  return at.getTime() < leadReceivedAt.getTime() && at.getTime() >= since ? { ...d, receivedAt: at } : null;
}

export const STATUS_LABEL: Record<DisputeStatus, string> = {
  open: "open",
  approved: "approved",
  partially_approved: "partially approved",
  rejected: "rejected",
  auto_approved: "approved automatically",
  withdrawn: "withdrawn",
};
