import fc from "fast-check";
import { disputeCreditCents, type CreditDecision } from "../../../server/domain/billing/credit";
import { buildInvoice, type InvoiceDraft } from "../../../server/domain/billing/invoice";
import type { LedgerEntry, LedgerKind } from "../../../server/domain/billing/ledger";
import { priceLeadCharge } from "../../../server/domain/billing/pricing";
import { pricing, storedEntry } from "./fixtures";

const MAX = 100_000_000; // $1M per entry keeps sums far inside the safe range

/** A ledger entry with the sign its kind requires: charges > 0, credits < 0, adjustments ≠ 0. */
const entryArb: fc.Arbitrary<{ kind: LedgerKind; amountCents: number; campaign: number }> = fc.oneof(
  fc.record({
    kind: fc.constantFrom<LedgerKind>("retainer", "lead_charge", "acquisition_charge", "revshare_charge"),
    amountCents: fc.integer({ min: 1, max: MAX }),
    campaign: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    kind: fc.constant<LedgerKind>("dispute_credit"),
    amountCents: fc.integer({ min: -MAX, max: -1 }),
    campaign: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    kind: fc.constant<LedgerKind>("adjustment"),
    amountCents: fc.integer({ min: -MAX, max: MAX }).filter((n) => n !== 0),
    campaign: fc.integer({ min: 0, max: 2 }),
  }),
);

/** Entries in time order, each followed by a flag: close an invoice after it? */
const historyArb = fc.array(fc.tuple(entryArb, fc.boolean()), { maxLength: 60 });

function toEntries(history: Array<[{ kind: LedgerKind; amountCents: number; campaign: number }, boolean]>): {
  invoices: LedgerEntry[][];
} {
  const invoices: LedgerEntry[][] = [];
  let current: LedgerEntry[] = [];
  history.forEach(([spec, close], i) => {
    current.push(
      storedEntry({
        kind: spec.kind,
        amountCents: spec.amountCents,
        campaignId: spec.campaign === 0 ? null : `camp-${spec.campaign}`,
        leadId: spec.kind === "retainer" ? null : `lead-${i}`,
        disputeId: spec.kind === "dispute_credit" ? `dispute-${i}` : null,
      }),
    );
    if (close) {
      invoices.push(current);
      current = [];
    }
  });
  invoices.push(current); // the final close takes whatever is left (possibly nothing)
  return { invoices };
}

function runInvoices(invoices: LedgerEntry[][]): InvoiceDraft[] {
  let balance = 0;
  return invoices.map((entries) => {
    const draft = buildInvoice({ entries, creditBalanceCents: balance });
    balance = draft.creditCarriedForwardCents;
    return draft;
  });
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("money invariants (properties)", () => {
  it("conserves money across invoices: Σ totals − final carried credit = Σ entries", () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const { invoices } = toEntries(history);
        const drafts = runInvoices(invoices);
        const totals = sum(drafts.map((d) => d.totalCents));
        const finalCarry = drafts[drafts.length - 1]!.creditCarriedForwardCents;
        expect(totals - finalCarry).toBe(sum(history.map(([e]) => e.amountCents)));
      }),
    );
  });

  // Hence Σ totals = Σ entries exactly when the final carried credit is 0, i.e. when the cumulative
  // balance at the last close is its peak over all closes (and not negative).
  it("bills in total exactly the peak cumulative balance over all closes (never less than 0)", () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const { invoices } = toEntries(history);
        const drafts = runInvoices(invoices);
        let running = 0;
        let peak = 0;
        for (const chunk of invoices) {
          running += sum(chunk.map((e) => e.amountCents));
          peak = Math.max(peak, running);
        }
        const totals = sum(drafts.map((d) => d.totalCents));
        expect(totals).toBe(peak);
        expect(drafts[drafts.length - 1]!.creditCarriedForwardCents).toBe(peak - running);
      }),
    );
  });

  it("never produces a negative total or carry, and never both a total and a carry", () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        for (const d of runInvoices(toEntries(history).invoices)) {
          expect(d.totalCents).toBeGreaterThanOrEqual(0);
          expect(d.creditCarriedForwardCents).toBeGreaterThanOrEqual(0);
          expect(d.creditAppliedCents).toBeGreaterThanOrEqual(0);
          expect(d.totalCents > 0 && d.creditCarriedForwardCents > 0).toBe(false);
        }
      }),
    );
  });

  it("puts every entry on exactly one line and the lines add up to the subtotal", () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 0, max: MAX }), (history, balance) => {
        const entries = toEntries(history).invoices.flat();
        const draft = buildInvoice({ entries, creditBalanceCents: balance });
        const ids = draft.lines.flatMap((l) => l.entryIds);
        expect([...ids].sort()).toEqual(entries.map((e) => e.id).sort());
        expect(sum(draft.lines.map((l) => l.amountCents))).toBe(draft.subtotalCents);
        expect(draft.subtotalCents).toBe(sum(entries.map((e) => e.amountCents)));
        for (const line of draft.lines) {
          expect(line.quantity).toBe(line.entryIds.length);
          if (line.kind === "dispute_credit") expect(line.amountCents).toBeLessThan(0);
          if (line.unitAmountCents !== null) expect(line.unitAmountCents * line.quantity).toBe(line.amountCents);
        }
      }),
    );
  });

  const decisionArb: fc.Arbitrary<CreditDecision> = fc.oneof(
    fc.constant<CreditDecision>({ kind: "full" }),
    fc.integer({ min: 0, max: 10_000 }).map((bps): CreditDecision => ({ kind: "percent", bps })),
    fc.integer({ min: 0, max: 2 * MAX }).map((cents): CreditDecision => ({ kind: "amount", cents })),
  );

  it("never credits more than was charged, and never a negative credit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), fc.integer({ min: 0, max: 2 * MAX }), decisionArb, (charged, already, decision) => {
        const credit = disputeCreditCents(charged, already, decision);
        expect(credit).toBeGreaterThanOrEqual(0);
        expect(credit).toBeLessThanOrEqual(Math.max(0, charged - already));
        if (decision.kind === "full") expect(credit).toBe(Math.max(0, charged - already));
      }),
    );
  });

  it("keeps the sum of a lead's successive dispute credits within its charges", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), fc.array(decisionArb, { maxLength: 10 }), (charged, decisions) => {
        let credited = 0;
        for (const decision of decisions) credited += disputeCreditCents(charged, credited, decision);
        expect(credited).toBeLessThanOrEqual(charged);
      }),
    );
  });

  it("never bills past a monthly cap, by leads or by spend", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 500_000 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.integer({ min: 1, max: 80 }),
        (capLeads, capSpend, price1, price2, arrivals) => {
          const p = pricing({
            tiers: [
              { upTo: 10, priceCents: price1 },
              { upTo: null, priceCents: price2 },
            ],
            monthlyCap: { leads: capLeads, spendCents: capSpend },
          });
          let billableLeads = 0;
          let leadChargesCents = 0;
          for (let i = 0; i < arrivals; i += 1) {
            const quote = priceLeadCharge(p, { billableLeads, leadChargesCents });
            if (quote.billable) {
              billableLeads += 1;
              leadChargesCents += quote.amountCents;
            }
          }
          expect(billableLeads).toBeLessThanOrEqual(capLeads);
          expect(leadChargesCents).toBeLessThanOrEqual(capSpend);
        },
      ),
    );
  });

  it("prices n leads marginally by tier: Σ = min(n,100)·7500 + max(0,n−100)·6000", () => {
    const p = pricing({
      tiers: [
        { upTo: 100, priceCents: 7500 },
        { upTo: null, priceCents: 6000 },
      ],
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), (n) => {
        let total = 0;
        for (let i = 0; i < n; i += 1) {
          const quote = priceLeadCharge(p, { billableLeads: i, leadChargesCents: total });
          total += quote.amountCents;
        }
        expect(total).toBe(Math.min(n, 100) * 7500 + Math.max(0, n - 100) * 6000);
      }),
      { numRuns: 50 },
    );
  });
});
