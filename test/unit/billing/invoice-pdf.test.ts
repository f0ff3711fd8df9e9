import { execFileSync } from "node:child_process";
import { addressLines, invoicePrintout, type AgencyDetails } from "../../../server/domain/billing/invoice-pdf";
import type { InvoiceDetail } from "../../../server/domain/billing/ledger-queries";
import { dueDateOf, paymentState } from "../../../server/domain/billing/payment-terms";
import { pdfkitInvoiceRenderer } from "../../../server/integrations/pdf/invoice-pdf";

/** The invoice PDF's text as a reader (and `pdftotext`, from poppler-utils) gets it out of the bytes. */
async function pdfText(inv: InvoiceDetail, agency: AgencyDetails): Promise<string> {
  const bytes = await pdfkitInvoiceRenderer.render(invoicePrintout(inv, agency));
  expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe("%PDF-");
  return execFileSync("pdftotext", ["-layout", "-", "-"], { input: Buffer.from(bytes) }).toString();
}

const AGENCY: AgencyDetails = {
  name: "Northstar Leads",
  legalName: "Northstar Leads Inc.",
  address: addressLines("500 Market St, Suite 4 | San Francisco, CA 94105"),
  taxId: "98-7654321",
  email: "billing@northstar.example",
  paymentInstructions: "ACH: Bank of Example, routing 021000021, account 123456789",
};

function invoice(overrides: Partial<InvoiceDetail> = {}): InvoiceDetail {
  const entry = (id: string, amountCents: number, leadId: string | null) => ({ id, kind: "lead_charge" as const, amountCents, leadId, disputeId: null, idempotencyKey: `k-${id}`, memo: null, createdAt: new Date("2026-12-05T15:00:00Z") });
  return {
    id: "6a1f0a52-1c1e-4d2b-9a55-0d6f0e2c9a11",
    clientId: "7b1f0a52-1c1e-4d2b-9a55-0d6f0e2c9a11",
    number: 7,
    displayNumber: "INV-0007",
    period: "2026-12",
    status: "issued",
    currency: "USD",
    subtotalCents: 152_500,
    creditAppliedCents: 7_500,
    totalCents: 145_000,
    creditCarriedForwardCents: 0,
    issuedAt: new Date("2027-01-02T15:00:00Z"),
    paidAt: null,
    voidedAt: null,
    voidReason: null,
    paymentTermsDays: 15,
    dueDate: "2027-01-17",
    billTo: { name: "Brooklyn Roofing", legalName: "Brooklyn Roofing Co. LLC", address: "12 Atlantic Ave\nBrooklyn, NY 11201", taxId: "11-2233445" },
    createdBy: "system:test",
    createdAt: new Date("2027-01-02T15:00:00Z"),
    clientName: "Brooklyn Roofing",
    clientTimezone: "America/New_York",
    payment: null,
    overdue: false,
    daysOverdue: 0,
    lines: [
      {
        id: "l1", invoiceId: "i", position: 1, kind: "retainer", campaignId: null, disputeId: null, description: "Monthly retainer — 2026-12", quantity: 1, unitAmountCents: 50_000, amountCents: 50_000, ledgerEntryIds: ["e1"],
        entries: [entry("e1", 50_000, null)], leadIds: [],
      },
      {
        id: "l2", invoiceId: "i", position: 2, kind: "lead_charge", campaignId: "c", disputeId: null, description: "Qualified leads — Google Search - Free estimate", quantity: 14, unitAmountCents: 7_500, amountCents: 105_000, ledgerEntryIds: [],
        entries: [], leadIds: [],
      },
      {
        id: "l3", invoiceId: "i", position: 3, kind: "dispute_credit", campaignId: null, disputeId: "d", description: "Dispute credit", quantity: 1, unitAmountCents: -2_500, amountCents: -2_500, ledgerEntryIds: [],
        entries: [], leadIds: [],
      },
    ],
    ...overrides,
  } as InvoiceDetail;
}

describe("the invoice PDF", () => {
  it("reads like an invoice from a real business: both parties, number, dates, terms, lines, totals and how to pay", async () => {
    const text = await pdfText(invoice(), AGENCY);
    for (const s of [
      "Northstar Leads Inc.",
      "500 Market St, Suite 4",
      "San Francisco, CA 94105",
      "Tax ID: 98-7654321",
      "billing@northstar.example",
      "INVOICE",
      "INV-0007",
      "BILL TO",
      "Brooklyn Roofing Co. LLC",
      "12 Atlantic Ave",
      "Brooklyn, NY 11201",
      "Tax ID: 11-2233445",
      "Net 15",
      "ACH: Bank of Example, routing 021000021, account 123456789",
    ]) {
      expect(text).toContain(s);
    }
    expect(text).toMatch(/Issue date\s+Jan 2, 2027/);
    expect(text).toMatch(/Due date\s+Jan 17, 2027/);
    expect(text).toMatch(/Service period\s+Dec 1, 2026 - Dec 31, 2026/);
    expect(text).toMatch(/Monthly retainer — 2026-12\s+1\s+\$500\.00\s+\$500\.00/);
    expect(text).toMatch(/Qualified leads — Google Search - Free estimate\s+14\s+\$75\.00\s+\$1,050\.00/);
    expect(text).toMatch(/Dispute credit\s+1\s+-\$25\.00\s+-\$25\.00/);
    expect(text).toMatch(/Subtotal\s+\$1,525\.00/);
    expect(text).toMatch(/Credit applied\s+-\$75\.00/);
    expect(text).toMatch(/Total due\s+\$1,450\.00/);
    expect(text).toContain("Please pay $1,450.00 by Jan 17, 2027, quoting INV-0007.");
    expect(text).not.toContain("PAID");
  });

  it("stamps an overdue invoice and says by how much", async () => {
    const text = await pdfText(invoice({ overdue: true, daysOverdue: 4 }), AGENCY);
    expect(text).toContain("OVERDUE");
    expect(text).toContain("This invoice is 4 days overdue.");
  });

  it("stamps a paid invoice with the payment's date and reference instead of asking to pay", async () => {
    const text = await pdfText(
      invoice({ status: "paid", paidAt: new Date("2027-01-10T16:00:00Z"), payment: { reference: "ACH 2027-0110", paidAt: new Date("2027-01-10T16:00:00Z"), recordedBy: "a@b.c" } }),
      AGENCY,
    );
    expect(text).toContain("PAID");
    expect(text).toContain("Paid on Jan 10, 2027, reference ACH 2027-0110. Thank you.");
    expect(text).toMatch(/Total paid\s+\$1,450\.00/);
    expect(text).not.toContain("Please pay");
  });

  it("falls back to the agency's and client's plain names when no details are set", async () => {
    const text = await pdfText(invoice({ billTo: null }), { name: "LeadLedger Agency", legalName: null, address: [], taxId: null, email: null, paymentInstructions: null });
    expect(text).toContain("LeadLedger Agency");
    expect(text).toContain("Brooklyn Roofing");
    expect(text).not.toContain("Tax ID");
  });
});

describe("payment terms", () => {
  it("counts the terms in days from the issue day in the client's calendar", () => {
    // 03:00 UTC on Jan 2 is still Jan 1 in New York.
    expect(dueDateOf(new Date("2027-01-02T03:00:00Z"), "America/New_York", 15)).toBe("2027-01-16");
    expect(dueDateOf(new Date("2027-01-02T03:00:00Z"), "Europe/Berlin", 15)).toBe("2027-01-17");
    expect(dueDateOf(new Date("2027-01-02T15:00:00Z"), "America/New_York", 0)).toBe("2027-01-02");
  });

  it("is overdue only for an issued invoice, from the day after the due date", () => {
    const issued = { status: "issued", dueDate: "2027-01-17" };
    expect(paymentState(issued, new Date("2027-01-18T04:59:00Z"), "America/New_York")).toMatchObject({ overdue: false, daysOverdue: 0 });
    expect(paymentState(issued, new Date("2027-01-18T05:00:00Z"), "America/New_York")).toMatchObject({ overdue: true, daysOverdue: 1 });
    expect(paymentState({ status: "paid", dueDate: "2027-01-17" }, new Date("2027-03-01T00:00:00Z"), "UTC").overdue).toBe(false);
    expect(paymentState({ status: "draft", dueDate: null }, new Date("2027-03-01T00:00:00Z"), "UTC").overdue).toBe(false);
  });
});
