import { buildInvoice } from "../../../server/domain/billing/invoice";
import {
  leadChargeEntry,
  outcomeChargeEntry,
  retainerEntry,
  type LedgerEntry,
} from "../../../server/domain/billing/ledger";
import { priceLeadCharge, priceOutcome, retainerFor } from "../../../server/domain/billing/pricing";
import { pricing, store } from "./fixtures";
import { WORKED_EXAMPLE_PRICING } from "../../support/contracts";

/**
 * The worked example: $500 retainer, tiers 100 × $75 then $60, $200 per acquisition, 10 % revenue
 * share. 120 qualified leads in the month and three wins worth $3,000, $1,250.55 and $10,000.
 *
 *   retainer                      50 000
 *   100 leads × 7 500            750 000
 *    20 leads × 6 000            120 000
 *     3 acquisitions × 20 000     60 000
 *   revshare 30 000 + 12 506 + 100 000 = 142 506   (12 505.5 rounds half up)
 *   total                      1 122 506 cents
 */
describe("worked example: retainer + tiered CPL + CPA + revenue share", () => {
  const contract = pricing(WORKED_EXAMPLE_PRICING);
  const clientId = "client-1";
  const campaignId = "camp-roof";

  function runMonth(): LedgerEntry[] {
    const entries: LedgerEntry[] = [store(retainerEntry({ clientId, period: "2026-12", amountCents: retainerFor(contract), actor: "job:close" }))];

    let billableLeads = 0;
    let leadChargesCents = 0;
    for (let i = 1; i <= 120; i += 1) {
      const quote = priceLeadCharge(contract, { billableLeads, leadChargesCents });
      if (!quote.billable) throw new Error(`lead ${i} unexpectedly not billable`);
      entries.push(store(leadChargeEntry({ clientId, leadId: `lead-${i}`, campaignId, actor: "system", amountCents: quote.amountCents })));
      billableLeads += 1;
      leadChargesCents += quote.amountCents;
    }

    const wins: Array<[string, number]> = [
      ["lead-3", 300_000],
      ["lead-50", 125_055],
      ["lead-110", 1_000_000],
    ];
    for (const [leadId, valueCents] of wins) {
      for (const charge of priceOutcome(contract, valueCents)) {
        entries.push(store(outcomeChargeEntry({ clientId, leadId, campaignId, actor: "user-1", kind: charge.kind, amountCents: charge.amountCents })));
      }
    }
    return entries;
  }

  it("sums to exactly 1,122,506 cents", () => {
    const invoice = buildInvoice({ entries: runMonth(), creditBalanceCents: 0, campaignNames: { [campaignId]: "Roof repair" } });
    expect(invoice.subtotalCents).toBe(1_122_506);
    expect(invoice.totalCents).toBe(1_122_506);
    expect(invoice.creditCarriedForwardCents).toBe(0);
  });

  it("itemises the invoice line by line", () => {
    const invoice = buildInvoice({ entries: runMonth(), creditBalanceCents: 0, campaignNames: { [campaignId]: "Roof repair" } });
    expect(invoice.lines.map((l) => ({ description: l.description, quantity: l.quantity, unit: l.unitAmountCents, amount: l.amountCents }))).toEqual([
      { description: "Monthly retainer — 2026-12", quantity: 1, unit: 50_000, amount: 50_000 },
      { description: "Qualified leads — Roof repair", quantity: 120, unit: null, amount: 870_000 },
      { description: "Acquisitions — Roof repair", quantity: 3, unit: 20_000, amount: 60_000 },
      { description: "Revenue share — Roof repair", quantity: 3, unit: null, amount: 142_506 },
    ]);
  });

  it("charges the 100th lead at the first tier and the 101st at the second", () => {
    const leadCharges = runMonth().filter((e) => e.kind === "lead_charge");
    expect(leadCharges[99]!.amountCents).toBe(7500);
    expect(leadCharges[100]!.amountCents).toBe(6000);
  });
});
