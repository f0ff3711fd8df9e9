import { DateTime } from "luxon";
import type { Actor } from "../auth/roles";
import { formatCents } from "../money-format";
import type { BillingReadRepository } from "./ports";
import { getInvoice, type InvoiceDetail } from "./ledger-queries";
import { describeTerms } from "./payment-terms";
import { periodBounds } from "./pricing";

/**
 * The invoice as a business document (issue #18 item 6): the agency's details, the bill-to details
 * the invoice was issued with, number, dates, terms, lines, totals and how to pay — every value
 * already written in words and money here, so the renderer (server/integrations/pdf) only lays it
 * out. The PDF is rendered from the same `getInvoice` read as the pages, so a client can only get
 * their own issued invoices.
 */

/** The agency's own details, from configuration (AGENCY_* variables). */
export interface AgencyDetails {
  name: string;
  legalName: string | null;
  /** Lines of the postal address. */
  address: string[];
  taxId: string | null;
  email: string | null;
  paymentInstructions: string | null;
}

export interface InvoicePrintout {
  title: string;
  /** "PAID", "VOID", "OVERDUE", "DRAFT" or null for an issued invoice within its terms. */
  stamp: string | null;
  from: { name: string; lines: string[] };
  billTo: { name: string; lines: string[] };
  facts: [label: string, value: string][];
  lines: { description: string; quantity: string; unit: string; amount: string }[];
  totals: [label: string, value: string][];
  /** What the client should do (or what was done): payment instructions or the payment's reference. */
  payment: string[];
  footer: string;
}

export interface InvoicePdfRenderer {
  render(printout: InvoicePrintout): Promise<Uint8Array>;
}

/** "a | b" or "a\nb" → ["a", "b"] */
export function addressLines(text: string | null | undefined): string[] {
  return (text ?? "")
    .split(/\r?\n|\s\|\s/)
    .map((l) => l.trim())
    .filter(Boolean);
}

const day = (iso: string | Date, zone: string) =>
  (typeof iso === "string" ? DateTime.fromISO(iso, { zone: "UTC" }) : DateTime.fromJSDate(iso, { zone })).toFormat("LLL d, yyyy");

export function invoicePrintout(inv: InvoiceDetail, agency: AgencyDetails): InvoicePrintout {
  const tz = inv.clientTimezone;
  const cur = inv.currency;
  const money = (c: number) => formatCents(c, cur);
  const bounds = periodBounds(inv.period, tz);
  const periodText = `${day(bounds.start, tz)} - ${day(new Date(bounds.end.getTime() - 1), tz)}`;
  const billTo = inv.billTo ?? { name: inv.clientName, legalName: null, address: null, taxId: null };
  const facts: [string, string][] = [
    ["Invoice number", inv.displayNumber],
    ["Issue date", inv.issuedAt ? day(inv.issuedAt, tz) : "Not issued (draft)"],
  ];
  if (inv.dueDate) facts.push(["Due date", day(inv.dueDate, tz)]);
  if (inv.paymentTermsDays !== null) facts.push(["Terms", describeTerms(inv.paymentTermsDays)]);
  facts.push(["Service period", periodText]);
  facts.push(["Currency", cur]);

  const stamp = inv.status === "paid" ? "PAID" : inv.status === "void" ? "VOID" : inv.status === "draft" ? "DRAFT" : inv.overdue ? "OVERDUE" : null;
  const payment: string[] = [];
  if (inv.status === "paid") {
    const paidOn = inv.payment?.paidAt ?? inv.paidAt;
    payment.push(`Paid${paidOn ? ` on ${day(paidOn, tz)}` : ""}${inv.payment ? `, reference ${inv.payment.reference}` : ""}. Thank you.`);
  } else if (inv.status === "void") {
    payment.push(`This invoice was voided${inv.voidReason ? `: ${inv.voidReason}` : ""}. Nothing on it is owed.`);
  } else {
    payment.push(
      inv.totalCents > 0
        ? `Please pay ${money(inv.totalCents)}${inv.dueDate ? ` by ${day(inv.dueDate, tz)}` : ""}, quoting ${inv.displayNumber}.`
        : "Nothing to pay on this invoice.",
    );
    if (inv.overdue) payment.push(`This invoice is ${inv.daysOverdue} day${inv.daysOverdue === 1 ? "" : "s"} overdue.`);
    if (agency.paymentInstructions) payment.push(...addressLines(agency.paymentInstructions));
  }

  return {
    title: "Invoice",
    stamp,
    from: {
      name: agency.legalName ?? agency.name,
      lines: [...agency.address, ...(agency.taxId ? [`Tax ID: ${agency.taxId}`] : []), ...(agency.email ? [agency.email] : [])],
    },
    billTo: {
      name: billTo.legalName ?? billTo.name,
      lines: [...(billTo.legalName && billTo.legalName !== billTo.name ? [`(${billTo.name})`] : []), ...addressLines(billTo.address), ...(billTo.taxId ? [`Tax ID: ${billTo.taxId}`] : [])],
    },
    facts,
    lines: inv.lines.map((l) => ({
      description: l.description,
      quantity: String(l.quantity),
      unit: l.unitAmountCents === null ? "various" : money(l.unitAmountCents),
      amount: money(l.amountCents),
    })),
    totals: [
      ["Subtotal", money(inv.subtotalCents)],
      ["Credit applied", money(-inv.creditAppliedCents)],
      [inv.status === "paid" ? "Total paid" : inv.status === "void" ? "Total (void)" : "Total due", money(inv.totalCents)],
      ...(inv.creditCarriedForwardCents > 0 ? ([["Credit carried forward", money(inv.creditCarriedForwardCents)]] as [string, string][]) : []),
    ],
    payment,
    footer: `Every charge on this invoice traces to a lead and the contract version that judged it; see ${inv.displayNumber} in your portal.`,
  };
}

/** The invoice's PDF for someone who may read the invoice (client users: their own, not drafts). */
export async function invoicePdf(
  deps: { repo: BillingReadRepository; renderer: InvoicePdfRenderer; agency: AgencyDetails },
  actor: Actor,
  id: string,
  now: Date,
): Promise<{ filename: string; contentType: string; base64: string }> {
  const inv = await getInvoice(deps.repo, actor, id, now);
  const bytes = await deps.renderer.render(invoicePrintout(inv, deps.agency));
  return { filename: `invoice-${inv.displayNumber}.pdf`, contentType: "application/pdf", base64: Buffer.from(bytes).toString("base64") };
}
