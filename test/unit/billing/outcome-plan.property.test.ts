import fc from "fast-check";
import { disputeCreditCents, leadCreditBasis } from "../../../server/domain/billing/credit";
import { buildInvoice } from "../../../server/domain/billing/invoice";
import { itemizeLines } from "../../../server/domain/billing/invoice-lines";
import type { LedgerEntry, LedgerKind } from "../../../server/domain/billing/ledger";
import { liveOutcomeCharges, planOutcome, type OutcomeState } from "../../../server/domain/billing/outcome-plan";
import { priceOutcome } from "../../../server/domain/billing/pricing";
import { sumCents } from "../../../server/domain/money";
import { pricing, store, storedEntry } from "./fixtures";

type Request = { outcome: "won"; valueCents: number | null } | { outcome: "lost"; valueCents: null };

const requestArb: fc.Arbitrary<Request> = fc.oneof(
  fc.record({ outcome: fc.constant("won" as const), valueCents: fc.option(fc.integer({ min: 0, max: 50_000_000 }), { nil: null }) }),
  fc.constant({ outcome: "lost" as const, valueCents: null }),
);

const pricingArb = fc.record({
  acquisitionPriceCents: fc.integer({ min: 0, max: 100_000 }),
  revshareBps: fc.integer({ min: 0, max: 10_000 }),
});

/** Applies the requests one after another the way mark-outcome.ts does, feeding written entries back. */
function replay(p: ReturnType<typeof pricing>, requests: Request[]) {
  const lead = { clientId: "client-1", leadId: "lead-1", campaignId: "camp-1" };
  let state: OutcomeState = { outcome: null, valueCents: null };
  const entries: LedgerEntry[] = [];
  const plans = requests.map((requested) => {
    const plan = planOutcome({ lead, current: state, requested, entries, pricing: p, actor: "user-1" });
    for (const e of [...plan.reversals, ...plan.charges]) entries.push(store(e));
    state = plan.next;
    return plan;
  });
  return { state, entries, plans, lead };
}

describe("outcome planning (won / lost / re-priced) — properties", () => {
  it("leaves exactly the final outcome's charges net in the ledger, with every key used once", () => {
    fc.assert(
      fc.property(pricingArb, fc.array(requestArb, { minLength: 1, maxLength: 30 }), (pr, requests) => {
        const p = pricing(pr);
        const { state, entries } = replay(p, requests);
        const keys = entries.map((e) => e.idempotencyKey);
        expect(new Set(keys).size).toBe(keys.length);
        const expected = state.outcome === "won" ? sumCents(priceOutcome(p, state.valueCents).map((c) => c.amountCents)) : 0;
        expect(sumCents(entries.map((e) => e.amountCents))).toBe(expected);
        const live = liveOutcomeCharges(entries);
        expect(live.map((e) => `${e.kind}=${e.amountCents}`).sort()).toEqual(
          (state.outcome === "won" ? priceOutcome(p, state.valueCents) : []).map((c) => `${c.kind}=${c.amountCents}`).sort(),
        );
        // charges stay positive; everything that takes money back is an adjustment; without disputes nothing is re-added
        for (const e of entries) expect(e.kind === "adjustment" ? e.amountCents < 0 : e.amountCents > 0).toBe(true);
      }),
    );
  });

  it("never credits the same money twice: with dispute credits in between, a lead's balance stays >= 0", () => {
    // A step is an outcome request or a dispute credit of a share (bps) of what is still creditable.
    const stepArb = fc.oneof(
      requestArb.map((r) => ({ kind: "outcome" as const, r })),
      fc.integer({ min: 1, max: 10_000 }).map((bps) => ({ kind: "credit" as const, bps })),
    );
    fc.assert(
      fc.property(pricingArb, fc.integer({ min: 0, max: 20_000 }), fc.array(stepArb, { minLength: 1, maxLength: 30 }), (pr, leadCharge, steps) => {
        const p = pricing(pr);
        const lead = { clientId: "client-1", leadId: "lead-1", campaignId: "camp-1" };
        let state: OutcomeState = { outcome: null, valueCents: null };
        const entries: LedgerEntry[] = leadCharge > 0 ? [storedEntry({ kind: "lead_charge", amountCents: leadCharge, leadId: "lead-1", idempotencyKey: "lead_charge:lead-1" })] : [];
        let credits = 0;
        for (const step of steps) {
          if (step.kind === "credit") {
            const basis = leadCreditBasis(entries);
            const cents = disputeCreditCents(basis.chargedCents, basis.alreadyCreditedCents, { kind: "percent", bps: step.bps });
            if (cents > 0) entries.push(storedEntry({ kind: "dispute_credit", amountCents: -cents, leadId: "lead-1", idempotencyKey: `dispute_credit:d${++credits}` }));
          } else {
            const plan = planOutcome({ lead, current: state, requested: step.r, entries, pricing: p, actor: "user-1" });
            for (const e of [...plan.reversals, ...plan.charges]) entries.push(store(e));
            state = plan.next;
          }
          const balance = sumCents(entries.map((e) => e.amountCents));
          expect(balance).toBeGreaterThanOrEqual(0);
          // What is owed never exceeds what the lead's current outcome and lead charge are worth.
          const worth = leadCharge + (state.outcome === "won" ? sumCents(priceOutcome(p, state.valueCents).map((c) => c.amountCents)) : 0);
          expect(balance).toBeLessThanOrEqual(worth);
        }
        const keys = entries.map((e) => e.idempotencyKey);
        expect(new Set(keys).size).toBe(keys.length);
        // Re-added parts are positive adjustments of their own kind of key, never more than the charge they pair with.
        for (const e of entries.filter((x) => x.kind === "adjustment" && x.amountCents > 0)) {
          expect(e.idempotencyKey).toMatch(/^adjustment:credited-(acquisition|revshare)_charge:lead-1(:\d+)?$/);
          const original = entries.find((x) => `adjustment:credited-${x.idempotencyKey}` === e.idempotencyKey)!;
          expect(e.amountCents).toBeLessThanOrEqual(original.amountCents);
          expect(keys).toContain(`reversal:${original.idempotencyKey}`);
        }
      }),
    );
  });

  it("disputed in full, then lost: the acquisition is not credited a second time", () => {
    const p = pricing({ leadPriceCents: 7500, acquisitionPriceCents: 20_000 });
    const lead = { clientId: "client-1", leadId: "lead-1", campaignId: "camp-1" };
    const entries: LedgerEntry[] = [storedEntry({ kind: "lead_charge", amountCents: 7500, leadId: "lead-1", idempotencyKey: "lead_charge:lead-1" })];
    const won = planOutcome({ lead, current: { outcome: null, valueCents: null }, requested: { outcome: "won", valueCents: null }, entries, pricing: p, actor: "u" });
    entries.push(...won.charges.map(store));
    entries.push(storedEntry({ kind: "dispute_credit", amountCents: -27_500, leadId: "lead-1", idempotencyKey: "dispute_credit:d1" }));

    const lost = planOutcome({ lead, current: won.next, requested: { outcome: "lost", valueCents: null }, entries, pricing: p, actor: "u" });

    expect(lost.reversals.map((e) => [e.idempotencyKey, e.amountCents])).toEqual([
      ["reversal:acquisition_charge:lead-1", -20_000],
      ["adjustment:credited-acquisition_charge:lead-1", 20_000],
    ]);
    expect(lost.reversals[1]!.memo).toBe("$200.00 of the reversed acquisition_charge acquisition_charge:lead-1 was already credited by a dispute");
    entries.push(...lost.reversals.map(store));
    expect(sumCents(entries.map((e) => e.amountCents))).toBe(0);
  });

  it("half disputed, then lost: only the uncredited remainder is given back", () => {
    const p = pricing({ leadPriceCents: 7500, acquisitionPriceCents: 20_000 });
    const lead = { clientId: "client-1", leadId: "lead-1", campaignId: "camp-1" };
    const entries: LedgerEntry[] = [storedEntry({ kind: "lead_charge", amountCents: 7500, leadId: "lead-1", idempotencyKey: "lead_charge:lead-1" })];
    const won = planOutcome({ lead, current: { outcome: null, valueCents: null }, requested: { outcome: "won", valueCents: null }, entries, pricing: p, actor: "u" });
    entries.push(...won.charges.map(store));
    entries.push(storedEntry({ kind: "dispute_credit", amountCents: -13_750, leadId: "lead-1", idempotencyKey: "dispute_credit:d1" }));

    const lost = planOutcome({ lead, current: won.next, requested: { outcome: "lost", valueCents: null }, entries, pricing: p, actor: "u" });

    // $275 charged, $137.50 credited: reversing $200 would owe −$62.50, so $62.50 of it is re-added.
    expect(lost.reversals.map((e) => e.amountCents)).toEqual([-20_000, 6_250]);
    entries.push(...lost.reversals.map(store));
    expect(sumCents(entries.map((e) => e.amountCents))).toBe(0);
  });

  it("treats a repeat of the current outcome as a no-op", () => {
    fc.assert(
      fc.property(pricingArb, fc.array(requestArb, { minLength: 1, maxLength: 20 }), (pr, requests) => {
        const p = pricing(pr);
        const { state, entries, lead } = replay(p, requests);
        const last = requests[requests.length - 1]!;
        const again = planOutcome({ lead, current: state, requested: last, entries, pricing: p, actor: "user-2" });
        expect(again).toMatchObject({ changed: false, reversals: [], charges: [] });
      }),
    );
  });
});

describe("invoice line itemization — properties", () => {
  const kindArb = fc.constantFrom<LedgerKind>("retainer", "lead_charge", "acquisition_charge", "revshare_charge", "adjustment");
  const entryArb = fc.record({
    kind: kindArb,
    amount: fc.integer({ min: 1, max: 1_000_000 }),
    campaign: fc.integer({ min: 0, max: 2 }),
    origin: fc.constantFrom("reversal:", "adjustment:void-rebill-", "adjustment:manual-"),
  });

  it("keeps every entry on exactly one line, the subtotal unchanged and one price per lead-charge line", () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 60 }), (specs) => {
        const entries = specs.map((x, i) =>
          storedEntry({
            kind: x.kind,
            amountCents: x.kind === "adjustment" ? -x.amount : x.kind === "lead_charge" ? [7500, 6000, 4000][x.amount % 3]! : x.amount,
            campaignId: x.campaign === 0 ? null : `camp-${x.campaign}`,
            leadId: x.kind === "retainer" ? null : `lead-${i}`,
            idempotencyKey: x.kind === "adjustment" ? `${x.origin}${i}` : `${x.kind}:${i}`,
          }),
        );
        const draft = buildInvoice({ entries, creditBalanceCents: 0 });
        const lines = itemizeLines(draft.lines, new Map(entries.map((e) => [e.id, e])));
        expect(sumCents(lines.map((l) => l.amountCents))).toBe(draft.subtotalCents);
        const ids = lines.flatMap((l) => l.entryIds);
        expect(ids.sort()).toEqual(entries.map((e) => e.id).sort());
        for (const l of lines) {
          expect(l.quantity).toBe(l.entryIds.length);
          if (l.kind === "lead_charge") expect(l.unitAmountCents).not.toBeNull();
          if (l.unitAmountCents !== null) expect(l.unitAmountCents * l.quantity).toBe(l.amountCents);
        }
      }),
    );
  });
});
