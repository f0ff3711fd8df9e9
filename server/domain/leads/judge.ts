import { leadChargeEntry, type NewLedgerEntry } from "../billing/ledger";
import { billingPeriodOf, priceLeadCharge, type MonthToDate } from "../billing/pricing";
import type { ContractVersion } from "../contracts/contract-document";
import { evaluate, withCapReached } from "../qualification/evaluate";
import type { JudgementFacts, LeadForJudgement } from "../qualification/lead-input";
import type { Verdict } from "../qualification/verdict";
import type { IntakeTx, NewLead } from "./ports";
import { placeOfZip } from "./zip-places";

export interface JudgeResult {
  verdict: Verdict;
  status: "qualified" | "rejected";
  /** Everything the verdict was computed from, stored with it so `lead:explain` can replay it. */
  evidence: JudgementEvidence;
  /** The lead charge to append once the lead row exists (null when not billable or a zero price). */
  charge: (NewLedgerEntry & { period: string; contractVersionId: string }) | null;
  /** The billing period (client time zone) of the lead's receipt; null when it did not qualify. */
  period: string | null;
}

export interface JudgementEvidence {
  input: LeadForJudgement;
  facts: JudgementFacts;
  monthToDate: MonthToDate | null;
}

/** Keys whose leads must not be judged concurrently (same client + same phone or e-mail). */
export function contactLockKeys(clientId: string, lead: { phone: string | null; email: string | null }): string[] {
  const keys: string[] = [];
  if (lead.phone) keys.push(`${clientId}|p|${lead.phone}`);
  if (lead.email) keys.push(`${clientId}|e|${lead.email}`);
  return keys.sort();
}

/**
 * Judges a lead with the contract version in force and, when it qualifies, charges it
 * (tier- and cap-aware) — all inside the caller's transaction, which also holds the contact locks.
 * `lead.qualified` is emitted for the subscribers outside the transaction (alerts).
 */
export async function judgeInTransaction(
  tx: IntakeTx,
  input: { lead: NewLead; forJudgement: LeadForJudgement; version: ContractVersion; timezone: string; actor: string },
): Promise<JudgeResult> {
  const { lead, version } = input;
  const duplicateRule = version.document.qualification.duplicate;
  const earlierDuplicate = duplicateRule
    ? await tx.findEarlierDuplicate(
        lead.clientId,
        { phone: duplicateRule.fields.includes("phone") ? lead.phone : null, email: duplicateRule.fields.includes("email") ? lead.email : null },
        new Date(lead.receivedAt.getTime() - duplicateRule.windowDays * 86_400_000),
        lead.id,
        lead.isTest === true,
      )
    : null;
  const facts: JudgementFacts = { timezone: input.timezone, earlierDuplicate };
  // Forms, API posts and calls are placed by their ZIP in one place, here; the evidence keeps the
  // place found, so a replay reads the lead as it was judged even after the dataset changes.
  const place = input.forJudgement.zipPlace === undefined ? placeOfZip(input.forJudgement.zip) : input.forJudgement.zipPlace;
  const forJudgement: LeadForJudgement = { ...input.forJudgement, zipPlace: place && { state: place.state, city: place.city } };
  let verdict = evaluate(version, forJudgement, facts);
  let evidenceMonthToDate: MonthToDate | null = null;
  let charge: JudgeResult["charge"] = null;
  let period: string | null = null;

  if (verdict.qualified) {
    const pricing = version.document.pricing;
    period = billingPeriodOf(lead.receivedAt, input.timezone);
    const needsCount = Boolean(pricing.tiers || pricing.monthlyCap);
    let monthToDate = { billableLeads: 0, leadChargesCents: 0 };
    if (needsCount) {
      // A test lead is never charged, so it only reads the month so far (the cap reason shows as it would).
      // A real one reads the client's month counter under the billing lock, held until the lead and
      // its charge have been added to the counter and committed (docs/decisions/003 and 016).
      if (!lead.isTest) await tx.lockClientBilling(lead.clientId);
      monthToDate = await tx.monthToDate(lead.clientId, period);
    }
    evidenceMonthToDate = monthToDate;
    const quote = priceLeadCharge(pricing, monthToDate);
    if (!quote.billable) {
      verdict = withCapReached(verdict, quote.cap.observed, quote.cap.limit);
    } else if (quote.amountCents > 0 && !lead.isTest) {
      const entry = leadChargeEntry({ clientId: lead.clientId, leadId: lead.id, campaignId: lead.campaignId, actor: input.actor, amountCents: quote.amountCents });
      charge = { ...entry, period, contractVersionId: version.id };
    }
  }
  return {
    verdict,
    status: verdict.qualified ? "qualified" : "rejected",
    charge,
    period,
    evidence: { input: forJudgement, facts, monthToDate: evidenceMonthToDate },
  };
}

/**
 * Persists a judgement: the lead (inserted now, or already stored as `received` for calls) with its
 * verdict and version, then its charge and the lead.qualified event — in the caller's transaction.
 * Returns the cents charged now (0 when an earlier delivery already charged it). A test lead keeps
 * its verdict as judged but is stored not billable, with no charge and no event (so no alert).
 */
export async function recordJudgement(
  tx: IntakeTx,
  lead: NewLead,
  judged: JudgeResult,
  opts: { judgedAt: Date; versionId: string; insert: boolean },
): Promise<number> {
  const stored = {
    status: judged.status,
    verdict: judged.verdict,
    evidence: judged.evidence,
    judgedAt: opts.judgedAt,
    contractVersionId: opts.versionId,
    billable: judged.verdict.billable && !lead.isTest,
  };
  const event = judged.verdict.qualified && !lead.isTest
    ? { type: "lead.qualified" as const, aggregateId: lead.id, clientId: lead.clientId, payload: { leadId: lead.id, billable: judged.verdict.billable } }
    : null;
  // A billable lead counts towards its month (tiers and caps read the count), with the cents charged.
  const counted = stored.billable && judged.period !== null ? { period: judged.period } : null;
  if (judged.charge && (!counted || judged.charge.period !== counted.period)) {
    throw new Error("a lead charge must belong to a billable lead of the same billing period");
  }
  if (opts.insert) {
    // Forms and vendor posts: lead, charge, month counter and event in one round trip.
    return (await tx.insertJudgedLead(lead, stored, judged.charge, event, counted)).chargedCents;
  }
  await tx.saveVerdict(lead.id, stored);
  let chargedCents = 0;
  if (judged.charge && (await tx.appendLedger(judged.charge))) chargedCents = judged.charge.amountCents;
  if (counted) await tx.addToMonthCounter(lead.id, lead.clientId, counted.period, chargedCents);
  if (event) await tx.emit({ ...event, payload: { ...event.payload, chargedCents } });
  return chargedCents;
}
