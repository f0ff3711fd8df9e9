import { z } from "zod";
import type { Actor } from "../auth/roles";
import { DomainError, isDomainError } from "../errors";
import type { Clock } from "../shared/clock";
import { parseInput } from "../shared/parse";
import { buildInvoice, formatInvoiceNumber, transitionInvoice } from "./invoice";
import { itemizeLines } from "./invoice-lines";
import { issueFields } from "./payment-terms";
import { retainerProrationOf } from "../contracts/contract-document";
import { assertPeriodClosable, latestClosablePeriod, periodClosability, retainerForPeriod, retainerMemo, type ServiceFacts } from "./billable-periods";
import { retainerEntry } from "./ledger";
import { billingPeriodOf, periodBounds, previousPeriod, retainerFor } from "./pricing";
import type { BillingClient, InvoiceRecord, InvoicingStore } from "./ports";
import { billingPeriodField } from "../shared/formats";
import { requireAgency } from "../auth/scope";

/**
 * Billing period close (docs/architecture.md flow 6): in ONE transaction, under the client's invoicing lock —
 *   0. the period must be closable (billable-periods.ts `periodClosability`, the same rule the sweep
 *      uses): ended, and not before the client or its first contract version existed;
 *   1. the retainer of the closing period, when the version in force at the period's end has one
 *      (`retainer:<clientId>:<period>`, so a retried close never adds a second), prorated by days
 *      for a first or last partial month unless the version says `retainerProration: "none"`; the
 *      ratio is kept in the entry's memo (docs/decisions/009-period-close-and-retainer-proration.md);
 *   2. every uninvoiced entry of the client whose period is <= the closing period (late entries of
 *      an earlier period are never left behind; entries of a later period wait for their own close);
 *   3. `buildInvoice` with the credit balance carried by the client's latest non-void invoice;
 *   4. the invoice (number = the client's highest number + 1), invoice_id stamped on those entries
 *      in the same statement that reads them, then the invoice's amounts and its lines with their
 *      entry ids;
 *   5. status `draft` by default — a person closing a period reviews it and issues it with
 *      `invoices.issue` — or `issued` at once with `draft: false` (what the scheduled sweep does).
 * A period that already has a non-void invoice is not closed again: the existing one is returned.
 * See docs/decisions/003-billing-concurrency.md and 004-ledger-reversals.md.
 */

export const closePeriodInput = z.object({
  clientId: z.uuid(),
  /** YYYY-MM; default: the month before the current one in the client's time zone. */
  period: billingPeriodField.optional(),
  /** Leave the invoice as a draft (entries are reserved by it) to issue after review — the default; false issues it at once. */
  draft: z.boolean().default(true),
});
export type ClosePeriodInput = z.input<typeof closePeriodInput>;

export interface InvoicingDeps {
  store: InvoicingStore;
  clock: Clock;
}

export type InvoiceView = InvoiceRecord & { displayNumber: string };

export function invoiceView(invoice: InvoiceRecord): InvoiceView {
  return { ...invoice, displayNumber: formatInvoiceNumber("INV", invoice.number) };
}

export function serviceFactsOf(client: BillingClient): ServiceFacts {
  return { timezone: client.timezone, clientCreatedAt: client.createdAt, firstContractAt: client.firstContractAt, deactivatedAt: client.deactivatedAt };
}

/** The ledger's `actor` text: the user id, `system:<label>` or `api_key:<id>`. */
export function ledgerActorOf(actor: Actor): string {
  if (actor.kind === "system") return `system:${actor.label}`;
  if (actor.kind === "api_key") return `api_key:${actor.apiKeyId}`;
  return actor.userId;
}

export async function closePeriod(deps: InvoicingDeps, actor: Actor, raw: ClosePeriodInput): Promise<{ invoice: InvoiceView; created: boolean }> {
  requireAgency(actor);
  const input = parseInput(closePeriodInput, raw);
  const now = deps.clock.now();

  return deps.store.transaction(async (tx) => {
    await tx.lockClientInvoicing(input.clientId);
    const client = await tx.findClient(input.clientId);
    if (!client) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
    const period = input.period ?? previousPeriod(billingPeriodOf(now, client.timezone));
    const facts = serviceFactsOf(client);
    assertPeriodClosable(period, facts, now);
    const bounds = periodBounds(period, client.timezone);

    const existing = await tx.findOpenPeriodInvoice(client.id, period);
    if (existing) return { invoice: invoiceView(existing), created: false };

    const ledgerActor = ledgerActorOf(actor);
    const version = await tx.findVersionInForce(client.id, new Date(bounds.end.getTime() - 1));
    const share = version
      ? retainerForPeriod({ period, fullCents: retainerFor(version.document.pricing), proration: retainerProrationOf(version.document.pricing), facts })
      : null;
    const retainerCents = share?.amountCents ?? 0;
    if (version && share && share.amountCents > 0) {
      await tx.appendLedger({
        ...retainerEntry({ clientId: client.id, period, amountCents: share.amountCents, actor: ledgerActor, memo: retainerMemo(share) }),
        period,
        contractVersionId: version.id,
      });
    }

    // The invoice row first (its amounts follow once its entries are claimed): claiming stamps and
    // reads the period's uninvoiced entries in one statement.
    const previous = await tx.latestInvoice(client.id);
    const creditBalanceCents = previous?.creditCarriedForwardCents ?? 0;
    const status = input.draft ? "draft" : transitionInvoice("draft", "issued");
    const opened = await tx.insertInvoice({
      clientId: client.id,
      number: await tx.nextInvoiceNumber(client.id),
      period,
      status,
      currency: client.currency,
      subtotalCents: 0,
      creditAppliedCents: 0,
      totalCents: 0,
      creditCarriedForwardCents: 0,
      issuedAt: status === "issued" ? now : null,
      ...(status === "issued" ? issueFields(client, now) : {}),
      createdBy: ledgerActor,
    });
    const entries = await tx.claimUninvoicedEntries(opened.id, client.id, period);
    const draft = buildInvoice({ entries, invoiceId: opened.id, creditBalanceCents, campaignNames: await tx.campaignNames(client.id) });
    const lines = itemizeLines(draft.lines, new Map(entries.map((e) => [e.id, e])), client.currency);
    const invoice = await tx.setInvoiceAmounts(opened.id, draft);
    await tx.insertLines(
      invoice.id,
      lines.map((l, i) => ({
        position: i + 1,
        kind: l.kind,
        campaignId: l.campaignId,
        disputeId: l.disputeId,
        description: l.description,
        quantity: l.quantity,
        unitAmountCents: l.unitAmountCents,
        amountCents: l.amountCents,
        ledgerEntryIds: l.entryIds,
      })),
    );
    await tx.audit.record(actor, {
      clientId: client.id,
      action: "invoice.closed",
      entityType: "invoice",
      entityId: invoice.id,
      after: {
        number: invoice.number,
        period,
        status,
        entries: entries.length,
        lines: lines.length,
        subtotalCents: draft.subtotalCents,
        creditAppliedCents: draft.creditAppliedCents,
        totalCents: draft.totalCents,
        creditCarriedForwardCents: draft.creditCarriedForwardCents,
        retainerCents,
        retainerDays: share ? { days: share.days, daysInMonth: share.daysInMonth, prorated: share.prorated } : null,
      },
    });
    return { invoice: invoiceView(invoice), created: true };
  });
}

export interface SweepResult {
  closed: { clientId: string; period: string; invoiceId: string; number: number; totalCents: number }[];
  skipped: number;
  failed: { clientId: string; period: string; code: string; message: string }[];
}

/**
 * The recurring sweep (job `billing.close-periods`): for every active client whose local time has
 * passed 00:00 on the 1st, closes the previous month into an ISSUED invoice — unless that month ever
 * had an invoice (a voided one included: re-closing after a void is a person's decision, made with
 * `invoices.close`), or it is not closable by the rule `closePeriod` applies too (it ended before the
 * client or its first contract version existed). One client's failure does not stop the others.
 */
export async function closeDuePeriods(deps: InvoicingDeps, actor: Actor): Promise<SweepResult> {
  requireAgency(actor);
  const now = deps.clock.now();
  const result: SweepResult = { closed: [], skipped: 0, failed: [] };
  for (const client of await deps.store.activeClients()) {
    const period = previousPeriod(billingPeriodOf(now, client.timezone));
    if (!periodClosability(period, serviceFactsOf(client), now).closable || (await deps.store.hasAnyInvoice(client.id, period))) {
      result.skipped += 1;
      continue;
    }
    try {
      const { invoice, created } = await closePeriod(deps, actor, { clientId: client.id, period, draft: false });
      if (created) result.closed.push({ clientId: client.id, period, invoiceId: invoice.id, number: invoice.number, totalCents: invoice.totalCents });
      else result.skipped += 1;
    } catch (e) {
      if (!isDomainError(e)) throw e;
      result.failed.push({ clientId: client.id, period, code: e.code, message: e.message });
    }
  }
  return result;
}

export type ClosablePeriodView =
  | { period: string; reason: null; firstPeriod: null; closableFrom: null }
  | { period: null; reason: string; firstPeriod: string | null; closableFrom: Date | null };

/**
 * Agency: the most recent period a person can close for the client now (what the close form offers),
 * or why there is none yet and when the first one can be closed — by the same rule as the close.
 */
export async function closablePeriod(deps: InvoicingDeps, actor: Actor, raw: { clientId: string }): Promise<ClosablePeriodView> {
  requireAgency(actor);
  const { clientId } = parseInput(closePeriodInput.pick({ clientId: true }), raw);
  const client = await deps.store.transaction((tx) => tx.findClient(clientId));
  if (!client) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  const latest = latestClosablePeriod(serviceFactsOf(client), deps.clock.now());
  return latest.period !== null ? { period: latest.period, reason: null, firstPeriod: null, closableFrom: null } : latest;
}
