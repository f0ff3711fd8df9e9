import {
  buildInvoice,
  formatInvoiceNumber,
  INVOICE_STATUSES,
  transitionInvoice,
  type InvoiceStatus,
} from "../../../server/domain/billing/invoice";
import { disputeCreditEntry, leadChargeEntry, retainerEntry, reversalOf } from "../../../server/domain/billing/ledger";
import { DomainError } from "../../../server/domain/errors";
import { store, storedEntry } from "./fixtures";

const names = { "camp-roof": "Google Search – Roof repair", "camp-gutter": "Facebook – Gutters" };

function leadCharge(leadId: string, campaignId: string, amountCents: number) {
  return store(leadChargeEntry({ clientId: "client-1", leadId, campaignId, actor: "system", amountCents }));
}

describe("buildInvoice", () => {
  it("groups lead charges by campaign with quantity, unit price and the entries behind each line", () => {
    const a = leadCharge("l1", "camp-roof", 7500);
    const b = leadCharge("l2", "camp-gutter", 4000);
    const c = leadCharge("l3", "camp-roof", 7500);

    const invoice = buildInvoice({ entries: [a, b, c], creditBalanceCents: 0, campaignNames: names });

    expect(invoice.lines).toEqual([
      {
        kind: "lead_charge",
        campaignId: "camp-roof",
        disputeId: null,
        leadId: null,
        description: "Qualified leads — Google Search – Roof repair",
        quantity: 2,
        unitAmountCents: 7500,
        amountCents: 15_000,
        entryIds: [a.id, c.id],
      },
      {
        kind: "lead_charge",
        campaignId: "camp-gutter",
        disputeId: null,
        leadId: "l2",
        description: "Qualified leads — Facebook – Gutters",
        quantity: 1,
        unitAmountCents: 4000,
        amountCents: 4000,
        entryIds: [b.id],
      },
    ]);
    expect(invoice.subtotalCents).toBe(19_000);
    expect(invoice.totalCents).toBe(19_000);
  });

  it("gives no unit price when a line mixes tier prices", () => {
    const invoice = buildInvoice({ entries: [leadCharge("l1", "camp-roof", 7500), leadCharge("l2", "camp-roof", 6000)], creditBalanceCents: 0 });
    expect(invoice.lines[0]).toMatchObject({ quantity: 2, unitAmountCents: null, amountCents: 13_500 });
  });

  it("names an unnamed campaign by id and a campaign-less line by its kind alone", () => {
    const adj = storedEntry({ kind: "adjustment", amountCents: -100 });
    const invoice = buildInvoice({ entries: [leadCharge("l1", "camp-x", 7500), adj], creditBalanceCents: 0 });
    expect(invoice.lines.map((l) => l.description)).toEqual(["Qualified leads — campaign camp-x", "Adjustments"]);
  });

  it("shows each dispute credit as its own negative line linked to the dispute", () => {
    const charge1 = leadCharge("l1", "camp-roof", 7500);
    const charge2 = leadCharge("l2", "camp-roof", 7500);
    const credit1 = store(disputeCreditEntry({ clientId: "client-1", leadId: "l1", campaignId: "camp-roof", actor: "u", disputeId: "d1", creditCents: 7500 }));
    const credit2 = store(disputeCreditEntry({ clientId: "client-1", leadId: "l2", campaignId: "camp-roof", actor: "u", disputeId: "d2", creditCents: 3750 }));

    const invoice = buildInvoice({ entries: [credit2, charge1, credit1, charge2], creditBalanceCents: 0, campaignNames: names });

    const creditLines = invoice.lines.filter((l) => l.kind === "dispute_credit");
    expect(creditLines).toEqual([
      expect.objectContaining({ disputeId: "d1", leadId: "l1", quantity: 1, amountCents: -7500, entryIds: [credit1.id], description: "Dispute credit — Google Search – Roof repair" }),
      expect.objectContaining({ disputeId: "d2", leadId: "l2", quantity: 1, amountCents: -3750, entryIds: [credit2.id] }),
    ]);
    expect(invoice.subtotalCents).toBe(15_000 - 7500 - 3750);
    expect(invoice.totalCents).toBe(3750);
  });

  it("orders lines retainer, lead charges, outcome charges, adjustments, credits", () => {
    const entries = [
      store(disputeCreditEntry({ clientId: "client-1", leadId: "l1", campaignId: null, actor: "u", disputeId: "d1", creditCents: 100 })),
      storedEntry({ kind: "adjustment", amountCents: 5 }),
      storedEntry({ kind: "revshare_charge", amountCents: 10, leadId: "l1" }),
      storedEntry({ kind: "acquisition_charge", amountCents: 10, leadId: "l1" }),
      leadCharge("l1", "camp-roof", 7500),
      store(retainerEntry({ clientId: "client-1", period: "2026-12", amountCents: 50_000, actor: "job" })),
    ];
    const kinds = buildInvoice({ entries, creditBalanceCents: 0 }).lines.map((l) => l.kind);
    expect(kinds).toEqual(["retainer", "lead_charge", "acquisition_charge", "revshare_charge", "adjustment", "dispute_credit"]);
  });

  it("labels retainers with their periods", () => {
    const entries = ["2026-11", "2026-12"].map((period) => store(retainerEntry({ clientId: "client-1", period, amountCents: 50_000, actor: "job" })));
    expect(buildInvoice({ entries, creditBalanceCents: 0 }).lines).toEqual([
      expect.objectContaining({ description: "Monthly retainer — 2026-11, 2026-12", quantity: 2, unitAmountCents: 50_000, amountCents: 100_000 }),
    ]);
  });

  it("shows a reversal as an adjustment instead of shrinking the lead charge line", () => {
    const charge = leadCharge("l1", "camp-roof", 7500);
    const other = leadCharge("l2", "camp-roof", 7500);
    const reversal = store(reversalOf(charge, "re-judged", "admin"));
    const invoice = buildInvoice({ entries: [charge, other, reversal], creditBalanceCents: 0, campaignNames: names });
    expect(invoice.lines.map((l) => [l.description, l.quantity, l.amountCents])).toEqual([
      ["Qualified leads — Google Search – Roof repair", 2, 15_000],
      ["Adjustments — Google Search – Roof repair", 1, -7500],
    ]);
    expect(invoice.totalCents).toBe(7500);
  });

  it("applies a carried credit balance to the total", () => {
    const invoice = buildInvoice({ entries: [leadCharge("l1", "camp-roof", 7500)], creditBalanceCents: 2000 });
    expect(invoice).toMatchObject({ subtotalCents: 7500, creditAppliedCents: 2000, totalCents: 5500, creditCarriedForwardCents: 0 });
  });

  it("uses only as much carried credit as the subtotal and carries the rest", () => {
    const invoice = buildInvoice({ entries: [leadCharge("l1", "camp-roof", 7500)], creditBalanceCents: 10_000 });
    expect(invoice).toMatchObject({ subtotalCents: 7500, creditAppliedCents: 7500, totalCents: 0, creditCarriedForwardCents: 2500 });
  });

  it("never issues a negative total: credits beyond the charges carry forward", () => {
    const charge = leadCharge("l1", "camp-roof", 6000);
    const credit = store(disputeCreditEntry({ clientId: "client-1", leadId: "l0", campaignId: "camp-roof", actor: "u", disputeId: "d1", creditCents: 7500 }));
    const invoice = buildInvoice({ entries: [charge, credit], creditBalanceCents: 1000 });
    expect(invoice).toMatchObject({ subtotalCents: -1500, creditAppliedCents: 0, totalCents: 0, creditCarriedForwardCents: 2500 });
  });

  it("builds an empty invoice that carries the balance unchanged", () => {
    expect(buildInvoice({ entries: [], creditBalanceCents: 300 })).toEqual({
      lines: [],
      subtotalCents: 0,
      creditAppliedCents: 0,
      totalCents: 0,
      creditCarriedForwardCents: 300,
    });
  });

  it("refuses entries that are already invoiced", () => {
    const invoiced = storedEntry({ kind: "lead_charge", amountCents: 7500, leadId: "l1", invoiceId: "inv-1" });
    expect(() => buildInvoice({ entries: [invoiced], creditBalanceCents: 0 })).toThrow(expect.objectContaining({ code: "CONFLICT" }));
  });

  it("refuses entries of several clients, the same entry twice and a negative balance", () => {
    const a = leadCharge("l1", "camp-roof", 7500);
    const b = storedEntry({ kind: "lead_charge", amountCents: 7500, leadId: "l2", clientId: "client-2" });
    expect(() => buildInvoice({ entries: [a, b], creditBalanceCents: 0 })).toThrow(/one client/);
    expect(() => buildInvoice({ entries: [a, a], creditBalanceCents: 0 })).toThrow(/given twice/);
    expect(() => buildInvoice({ entries: [a], creditBalanceCents: -1 })).toThrow(DomainError);
  });
});

describe("formatInvoiceNumber", () => {
  it.each([
    ["INV", 7, "INV-0007"],
    ["INV", 1, "INV-0001"],
    ["INV", 12_345, "INV-12345"],
    ["acme-roofing", 12, "ACME-ROOFING-0012"],
    [" Acme Roofing & Sons ", 3, "ACME-ROOFING-SONS-0003"],
  ])("numbers %p #%d as %s", (prefix, seq, expected) => {
    expect(formatInvoiceNumber(prefix, seq)).toBe(expected);
  });

  it("refuses a zero, negative or fractional sequence and an empty prefix", () => {
    expect(() => formatInvoiceNumber("INV", 0)).toThrow(DomainError);
    expect(() => formatInvoiceNumber("INV", 1.5)).toThrow(DomainError);
    expect(() => formatInvoiceNumber("--", 1)).toThrow(/prefix/);
  });
});

describe("transitionInvoice", () => {
  const legal: Array<[InvoiceStatus, InvoiceStatus]> = [
    ["draft", "issued"],
    ["draft", "void"],
    ["issued", "paid"],
    ["issued", "void"],
  ];
  const all = INVOICE_STATUSES.flatMap((from) => INVOICE_STATUSES.map((to) => [from, to] as [InvoiceStatus, InvoiceStatus]));
  const illegal = all.filter(([f, t]) => !legal.some(([lf, lt]) => lf === f && lt === t));

  it("covers all sixteen pairs", () => {
    expect(legal.length + illegal.length).toBe(16);
  });

  it.each(legal)("allows %s → %s", (from, to) => {
    expect(transitionInvoice(from, to)).toBe(to);
  });

  it.each(illegal)("refuses %s → %s with INVALID_TRANSITION", (from, to) => {
    expect(() => transitionInvoice(from, to)).toThrow(
      expect.objectContaining({ code: "INVALID_TRANSITION", details: { entity: "invoice", from, to } }),
    );
  });
});
