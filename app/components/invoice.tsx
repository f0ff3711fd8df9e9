import { DateTime } from "luxon";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { dateOnly, dateTime, money } from "~/lib/format";
import type { RouterOutputs } from "~/lib/api";

/**
 * Invoices as both sides read them: the status badge, the period label, the document itself
 * (lines, totals), the invoice list and the month helpers the billing pages share. Pure display;
 * the shapes are the router's (RouterOutputs).
 */

/** An invoice as `invoices.list` lists it, and as `invoices.get` returns it with its lines. */
export type InvoiceSummary = RouterOutputs["invoices"]["list"]["items"][number];
export type InvoiceStatus = InvoiceSummary["status"];
export type InvoiceDetailView = RouterOutputs["invoices"]["get"];
export type InvoiceLineView = InvoiceDetailView["lines"][number];

const STATUS_CLASS: Record<InvoiceStatus, string> = { draft: "info", issued: "warn", paid: "ok", void: "bad" };
const STATUS_TEXT: Record<InvoiceStatus, string> = { draft: "Draft", issued: "Issued — due", paid: "Paid", void: "Void" };

export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  return <span className={`badge ${STATUS_CLASS[status] ?? ""}`}>{STATUS_TEXT[status] ?? status}</span>;
}

// ---------------------------------------------------------------------------------------------
// Billing periods (YYYY-MM in the client's time zone)

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isPeriod(v: string | null | undefined): v is string {
  return !!v && PERIOD.test(v);
}

/** "2026-10" → "October 2026". */
export function periodLabel(period: string): string {
  const d = DateTime.fromFormat(period, "yyyy-MM", { zone: "UTC" });
  return d.isValid ? d.toFormat("LLLL yyyy") : period;
}

/** The billing month `now` falls in, in the client's time zone. */
export function currentPeriod(timezone: string, now: Date): string {
  return DateTime.fromJSDate(now).setZone(timezone).toFormat("yyyy-MM");
}

/** The month before `period`. */
export function previousPeriod(period: string): string {
  return DateTime.fromFormat(period, "yyyy-MM", { zone: "UTC" }).minus({ months: 1 }).toFormat("yyyy-MM");
}

/** [start, end) of the month in the client's time zone, as ISO instants (for created_at filters). */
export function periodRange(period: string, timezone: string): { from: string; to: string } {
  const start = DateTime.fromFormat(period, "yyyy-MM", { zone: timezone }).startOf("month");
  return { from: start.toUTC().toISO()!, to: start.plus({ months: 1 }).toUTC().toISO()! };
}

/** "Oct 1 – Oct 31, 2026" for the period's days. */
export function periodDays(period: string): string {
  const start = DateTime.fromFormat(period, "yyyy-MM", { zone: "UTC" });
  if (!start.isValid) return period;
  return `${start.toFormat("LLL d")} – ${start.endOf("month").toFormat("LLL d, yyyy")}`;
}

// ---------------------------------------------------------------------------------------------
// The document

const GROUP: Record<string, string> = {
  retainer: "Charges",
  lead_charge: "Charges",
  acquisition_charge: "Charges",
  revshare_charge: "Charges",
  adjustment: "Adjustments",
  dispute_credit: "Credits",
};

/** Who the leads behind a line are (see invoice.server.tsx), by lead id. */
export type LeadNames = Record<string, { name: string | null; receivedAt: string | Date }>;

export interface InvoiceLinks {
  /** Link to one lead. */
  lead: (leadId: string) => string;
  /** Link to a filtered leads list for a line with many leads (null: none). */
  leadsList?: (line: InvoiceLineView) => string | null;
  /** Link to the dispute behind a credit line (null: no link). */
  dispute?: (disputeId: string) => string | null;
}

/**
 * The invoice as a document: who and which period, status and dates, the lines in the invoice's
 * own order (with a heading where charges turn into adjustments and credits), then the totals.
 * Credits are negative lines that link to their dispute; lead lines link to their leads.
 */
// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
export function InvoiceDocument(props: {
  invoice: InvoiceDetailView;
  timezone: string;
  links: InvoiceLinks;
  leadNames?: LeadNames;
  actions?: ReactNode;
  agencyName?: string;
}) {
  const { invoice: inv, timezone: tz, links } = props;
  const cur = inv.currency;
  let group = "";
  return (
    <article className="card invoice" aria-labelledby="invoice-title">
      <header className="invoice-head">
        <div>
          <p className="invoice-kicker">{props.agencyName ? `Invoice from ${props.agencyName}` : "Invoice"}</p>
          <h1 id="invoice-title">{inv.displayNumber}</h1>
          <p className="invoice-to">
            {inv.clientName} · {periodLabel(inv.period)}
          </p>
          {inv.billTo ? <BillToBlock billTo={inv.billTo} /> : null}
        </div>
        <dl className="facts invoice-facts">
          <dt>Status</dt>
          <dd>
            <InvoiceStatusBadge status={inv.status} />
          </dd>
          <dt>Period</dt>
          <dd>{periodDays(inv.period)}</dd>
          <dt>Issued</dt>
          <dd>{inv.issuedAt ? dateOnly(inv.issuedAt, tz) : <span className="muted">Not yet</span>}</dd>
          {inv.dueDate ? (
            <>
              <dt>Due</dt>
              <dd>
                <DueText invoice={inv} />
                {inv.paymentTermsDays !== null ? <span className="muted small"> ({inv.paymentTermsDays === 0 ? "due on receipt" : `net ${inv.paymentTermsDays}`})</span> : null}
              </dd>
            </>
          ) : null}
          <dt>Paid</dt>
          <dd>
            {inv.paidAt ? dateOnly(inv.paidAt, tz) : <span className="muted">{inv.status === "void" ? "—" : "Not yet"}</span>}
            {inv.payment ? <div className="small muted">Reference {inv.payment.reference}</div> : null}
          </dd>
          {inv.voidedAt ? (
            <>
              <dt>Voided</dt>
              <dd>{dateTime(inv.voidedAt, tz)}</dd>
            </>
          ) : null}
        </dl>
      </header>
      {inv.status === "void" ? (
        <div className="alert warn" role="note">
          This invoice was voided{inv.voidReason ? `: ${inv.voidReason}` : "."} Nothing on it is owed; its charges are billed again on the next invoice.
        </div>
      ) : null}
      {props.actions ? <div className="actions invoice-actions no-print">{props.actions}</div> : null}
      {inv.lines.length === 0 ? (
        <p className="muted">No charges or credits in this period.</p>
      ) : (
        <table className="invoice-lines">
          <caption className="visually-hidden">Invoice lines</caption>
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col" className="num qty-col">
                Qty
              </th>
              <th scope="col" className="num unit-col">
                Unit amount
              </th>
              <th scope="col" className="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {inv.lines.map((line) => {
              const g = GROUP[line.kind] ?? "Other";
              const heading = g !== group;
              group = g;
              return (
                <InvoiceLineRows key={line.id} line={line} heading={heading ? g : null} currency={cur} timezone={tz} links={links} names={props.leadNames ?? {}} />
              );
            })}
          </tbody>
        </table>
      )}
      <dl className="invoice-totals">
        <dt>Subtotal</dt>
        <dd>{money(inv.subtotalCents, cur)}</dd>
        <dt>Credit applied</dt>
        <dd>{inv.creditAppliedCents ? money(-inv.creditAppliedCents, cur) : money(0, cur)}</dd>
        <dt className="grand">Total {inv.status === "paid" ? "paid" : inv.status === "void" ? "(void)" : "due"}</dt>
        <dd className="grand">{money(inv.totalCents, cur)}</dd>
        <dt>Credit carried forward</dt>
        <dd>{money(inv.creditCarriedForwardCents, cur)}</dd>
      </dl>
      {inv.creditCarriedForwardCents > 0 ? (
        <p className="muted small">
          Credits exceeded the charges: {money(inv.creditCarriedForwardCents, cur)} is carried forward and taken off the next invoice.
        </p>
      ) : null}
    </article>
  );
}

function InvoiceLineRows(props: { line: InvoiceLineView; heading: string | null; currency: string; timezone: string; links: InvoiceLinks; names: LeadNames }) {
  const { line, currency: cur, links } = props;
  const credit = line.amountCents < 0;
  const listHref = line.leadIds.length > 1 ? links.leadsList?.(line) ?? null : null;
  const disputeHref = line.disputeId ? links.dispute?.(line.disputeId) ?? null : null;
  const leadEntries = line.entries.filter((e) => e.leadId);
  return (
    <>
      {props.heading ? (
        <tr className="line-group">
          <th colSpan={4} scope="colgroup">
            {props.heading}
          </th>
        </tr>
      ) : null}
      <tr className={credit ? "credit-line" : undefined}>
        <td>
          <div className="line-desc">{line.description}</div>
          <div className="line-math small muted">
            {line.quantity} × {line.unitAmountCents === null ? "various" : money(line.unitAmountCents, cur)}
          </div>
          <div className="line-links small">
            {disputeHref ? <a href={disputeHref}>View the dispute</a> : null}
            {line.leadIds.length === 1 ? <a href={links.lead(line.leadIds[0]!)}>{line.kind === "dispute_credit" ? "View the lead" : "View lead"}</a> : null}
            {line.leadIds.length > 1 ? (
              <details className="line-leads">
                <summary>Show the {line.leadIds.length} leads</summary>
                <ul>
                  {leadEntries.map((e, i) => {
                    const who = props.names[e.leadId!];
                    return (
                      <li key={e.id}>
                        <a href={links.lead(e.leadId!)}>{who ? `${who.name ?? "No name"} · ${dateTime(who.receivedAt, props.timezone)}` : `Lead ${i + 1}`}</a>{" "}
                        <span className="muted">{money(e.amountCents, cur)}</span>
                      </li>
                    );
                  })}
                </ul>
                {listHref ? (
                  <a href={listHref} className="no-print">
                    Open these leads in the leads list
                  </a>
                ) : null}
              </details>
            ) : null}
          </div>
        </td>
        <td className="num qty-col">{line.quantity}</td>
        <td className="num unit-col">{line.unitAmountCents === null ? <span className="muted">various</span> : money(line.unitAmountCents, cur)}</td>
        <td className="num nowrap">{money(line.amountCents, cur)}</td>
      </tr>
    </>
  );
}

/** Who the invoice is addressed to, as issued. */
function BillToBlock({ billTo }: { billTo: NonNullable<InvoiceDetailView["billTo"]> }) {
  const lines = (billTo.address ?? "").split(/\r?\n|\s\|\s/).filter((l) => l.trim());
  return (
    <div className="bill-to small">
      <div className="muted">Bill to</div>
      <div>{billTo.legalName ?? billTo.name}</div>
      {lines.map((l, i) => (
        <div key={i}>{l}</div>
      ))}
      {billTo.taxId ? <div>Tax ID {billTo.taxId}</div> : null}
    </div>
  );
}

/** "Dec 16, 2026", or with how late it is: "Dec 16, 2026 — 3 days overdue". */
export function DueText({ invoice: inv }: { invoice: Pick<InvoiceSummary, "dueDate" | "overdue" | "daysOverdue" | "status"> }) {
  if (!inv.dueDate) return <span className="muted">—</span>;
  const due = DateTime.fromISO(inv.dueDate, { zone: "UTC" }).toFormat("LLL d, yyyy");
  return (
    <span className="nowrap">
      {due}
      {inv.overdue ? (
        <>
          {" "}
          <span className="badge bad">
            Overdue {inv.daysOverdue} day{inv.daysOverdue === 1 ? "" : "s"}
          </span>
        </>
      ) : null}
    </span>
  );
}

/** Print, PDF and CSV buttons shown above the document. */
export function InvoiceDownloads(props: { csvHref: string; displayNumber: string }) {
  return (
    <>
      <a className="button" href={props.csvHref.replace(/\.csv$/, ".pdf")} download={`invoice-${props.displayNumber}.pdf`}>
        Download PDF
      </a>
      <button type="button" className="secondary" onClick={() => window.print()}>
        Print
      </button>
      <a className="button secondary" href={props.csvHref} download={`invoice-${props.displayNumber}.csv`}>
        Download CSV
      </a>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// The list of a client's invoices (the portal's invoices page and the console's billing page)

/**
 * One row per invoice: number (a link), period, status, issued, total, credit carried, and a last
 * column that is the page's own (the portal's running balance, the console's actions). The client
 * sees a void invoice's total struck through; the agency sees why it was voided under its status.
 */
export function InvoiceTable<T extends InvoiceSummary>(props: {
  invoices: T[];
  className: string;
  currency: string;
  timeZone: string;
  audience: "client" | "agency";
  href: (invoice: T) => string;
  /** The whole last header cell (<th>) and the last cell of a row (<td>). */
  lastHeader: ReactNode;
  lastCell: (invoice: T) => ReactNode;
}) {
  const { currency: cur, timeZone: tz } = props;
  return (
    <div className="table-wrap">
      <table className={props.className}>
        <thead>
          <tr>
            <th scope="col">Invoice</th>
            <th scope="col">Period</th>
            <th scope="col">Status</th>
            <th scope="col">Issued</th>
            <th scope="col">Due</th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col" className="num">
              Credit carried
            </th>
            {props.lastHeader}
          </tr>
        </thead>
        <tbody>
          {props.invoices.map((inv) => (
            <tr key={inv.id} className={inv.status === "void" ? "muted" : undefined}>
              <td className="nowrap stack-head">
                <Link className="strong-link" to={props.href(inv)}>
                  {inv.displayNumber}
                </Link>
              </td>
              <td className="nowrap" data-label="Period">
                {periodLabel(inv.period)}
              </td>
              <td data-label="Status">
                {props.audience === "agency" ? (
                  <div>
                    <InvoiceStatusBadge status={inv.status} />
                    {inv.status === "void" && inv.voidReason ? <div className="small muted">{inv.voidReason}</div> : null}
                  </div>
                ) : (
                  <InvoiceStatusBadge status={inv.status} />
                )}
              </td>
              <td className="nowrap" data-label="Issued">
                {inv.issuedAt ? dateOnly(inv.issuedAt, tz) : "—"}
              </td>
              <td data-label="Due">
                {inv.status === "issued" ? <DueText invoice={inv} /> : inv.status === "paid" && inv.payment ? <span className="small muted">Paid · ref {inv.payment.reference}</span> : "—"}
              </td>
              <td className="num nowrap" data-label="Total">
                {props.audience === "client" && inv.status === "void" ? <s>{money(inv.totalCents, cur)}</s> : money(inv.totalCents, cur)}
              </td>
              <td className="num nowrap" data-label="Credit carried">
                {money(inv.creditCarriedForwardCents, cur)}
              </td>
              {props.lastCell(inv)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
