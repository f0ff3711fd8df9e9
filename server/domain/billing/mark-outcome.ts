import { z } from "zod";
import type { Actor } from "../auth/roles";
import type { Pricing } from "../contracts/contract-document";
import { DomainError } from "../errors";
import { conversionInput } from "../leads/inputs";
import type { Clock } from "../shared/clock";
import { parseInput } from "../shared/parse";
import { planOutcome } from "./outcome-plan";
import { billingPeriodOf } from "./pricing";
import type { OutcomeStore, StoredLedgerEntry } from "./ports";
import { isUuid } from "../shared/formats";
import { ownClientId } from "../auth/scope";
import { ledgerActorOf } from "./close-period";

/**
 * A lead's sales outcome (docs/architecture.md flow 3): a client user marks it won (with the deal value) or
 * lost in the portal, or the client's CRM posts a conversion. Won charges the acquisition fee and/or
 * the revenue share of the contract version that judged the lead, exactly once; see outcome-plan.ts
 * for re-marking and reversals. One transaction with the lead row locked, so concurrent posts for
 * the same lead serialize: the second sees the first's result and is a no-op.
 */

export const markOutcomeInput = conversionInput.extend({ leadId: z.string().max(100) });
export type MarkOutcomeInput = z.input<typeof markOutcomeInput>;

export interface MarkOutcomeDeps {
  store: OutcomeStore;
  clock: Clock;
}

export interface MarkOutcomeResult {
  leadId: string;
  outcome: "won" | "lost";
  valueCents: number | null;
  outcomeAt: Date | null;
  /** False when the request repeated the current outcome: nothing was written. */
  changed: boolean;
  /** Ledger entries this call appended (charges and reversals). */
  entries: { id: string; kind: string; amountCents: number; idempotencyKey: string }[];
}

export interface OutcomeCaller {
  actor: Actor;
  /** Ledger `actor` text: the user id, `api_key:<id>`, `system:cli` … */
  ledgerActor: string;
  /** The only client whose leads this caller may touch; null = any (agency / system). */
  clientId: string | null;
}

export function outcomeCaller(actor: Actor, ledgerActor?: string): OutcomeCaller {
  return {
    actor,
    ledgerActor: ledgerActor ?? ledgerActorOf(actor),
    clientId: ownClientId(actor),
  };
}

export async function markOutcome(deps: MarkOutcomeDeps, caller: OutcomeCaller, raw: MarkOutcomeInput): Promise<MarkOutcomeResult> {
  const input = parseInput(markOutcomeInput, raw);
  const notFound = () => new DomainError("LEAD_NOT_FOUND", "Lead not found.");
  if (!isUuid(input.leadId)) throw notFound();

  return deps.store.transaction(async (tx) => {
    const lead = await tx.lockLead(input.leadId);
    if (!lead || (caller.clientId !== null && lead.clientId !== caller.clientId)) throw notFound();
    if (lead.isTest) throw new DomainError("TEST_LEAD", "This is a test lead: it has no outcome and is never billed.");

    let pricing: Pricing | null = null;
    if (input.outcome === "won") {
      if (lead.status !== "qualified" || !lead.contractVersionId) {
        throw new DomainError("LEAD_NOT_QUALIFIED", `Only a qualified lead can be marked won; this lead is ${lead.status}.`, {
          details: { leadId: lead.id, status: lead.status },
        });
      }
      const version = await tx.findVersionById(lead.contractVersionId);
      if (!version) throw new DomainError("NOT_FOUND", "The contract version that judged this lead is missing.");
      pricing = version.document.pricing;
      if (pricing.revshareBps > 0 && input.valueCents === undefined) {
        throw new DomainError("VALIDATION_FAILED", "The contract takes a revenue share: send the deal value in valueCents to mark the lead won.", {
          issues: [{ path: ["valueCents"], message: "is required for a won lead under a revenue-share contract" }],
        });
      }
    }

    const entries = await tx.leadEntries(lead.id);
    const plan = planOutcome({
      lead: { clientId: lead.clientId, leadId: lead.id, campaignId: lead.campaignId },
      current: { outcome: lead.outcome, valueCents: lead.outcomeValueCents },
      requested: { outcome: input.outcome, valueCents: input.valueCents ?? null },
      entries,
      pricing,
      actor: caller.ledgerActor,
      currency: lead.currency,
    });
    if (!plan.changed) {
      return { leadId: lead.id, outcome: input.outcome, valueCents: lead.outcomeValueCents, outcomeAt: lead.outcomeAt, changed: false, entries: [] };
    }

    const now = deps.clock.now();
    const period = billingPeriodOf(now, lead.timezone);
    const written: StoredLedgerEntry[] = [];
    for (const entry of [...plan.reversals, ...plan.charges]) {
      const stored = await tx.appendLedger({ ...entry, period, contractVersionId: lead.contractVersionId });
      if (stored) written.push(stored);
    }
    await tx.setOutcome(lead.id, { outcome: plan.next.outcome as "won" | "lost", valueCents: plan.next.valueCents, at: now });
    const summary = written.map((e) => ({ id: e.id, kind: e.kind, amountCents: e.amountCents, idempotencyKey: e.idempotencyKey }));
    await tx.audit.record(caller.actor, {
      clientId: lead.clientId,
      action: "lead.outcome_marked",
      entityType: "lead",
      entityId: lead.id,
      before: { outcome: lead.outcome, valueCents: lead.outcomeValueCents, outcomeAt: lead.outcomeAt },
      after: { outcome: plan.next.outcome, valueCents: plan.next.valueCents, outcomeAt: now, ledgerActor: caller.ledgerActor, entries: summary },
    });
    return { leadId: lead.id, outcome: input.outcome, valueCents: plan.next.valueCents, outcomeAt: now, changed: true, entries: summary };
  });
}
