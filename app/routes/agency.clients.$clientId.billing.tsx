import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { InvoiceDocument, InvoiceDownloads, InvoiceTable, isPeriod, periodLabel, periodRange, type InvoiceLineView } from "~/components/invoice";
import { invoiceLeadNames } from "~/components/invoice.server";
import { EmptyState, FieldError } from "~/components/layout";
import { FormMessage, idParam, invalidProps, optionalId } from "~/components/setup";
import { dateTime, money } from "~/lib/format";
import { field, formAction, formValues, intent } from "~/lib/form-action.server";
import { orNotFound, requireAgency } from "~/lib/guards.server";
import { z } from "zod";

/**
 * A client's money in the agency console: the balance, closing a billing period (into a draft to
 * review and issue, by default; the month offered is the most recent one that can be closed, or the
 * page says why none can yet), the invoices with their status moves (issue, mark paid, void with a
 * reason) and the ledger with filters and a running balance. `?invoice=<id>` shows an invoice's document; `?void=<id>` asks before voiding.
 */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Billing · ${d?.client.name ?? "Client"} · LeadLedger` }];

const KINDS = [
  ["retainer", "Retainer"],
  ["lead_charge", "Lead charge"],
  ["acquisition_charge", "Acquisition charge"],
  ["revshare_charge", "Revenue share"],
  ["dispute_credit", "Dispute credit"],
  ["adjustment", "Adjustment"],
] as const;
type Kind = (typeof KINDS)[number][0];
const KIND_LABEL: Record<string, string> = Object.fromEntries(KINDS);

function ledgerFilters(url: URL) {
  const p = url.searchParams;
  const kindRaw = p.get("kind");
  const kind = KINDS.some(([k]) => k === kindRaw) ? (kindRaw as Kind) : undefined;
  const month = isPeriod(p.get("month")) ? p.get("month")! : undefined;
  return { kind, month, uninvoiced: p.get("uninvoiced") === "1", cursor: p.get("cursor")?.slice(0, 200) || undefined };
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const url = new URL(request.url);
  const client = await orNotFound(context.caller.clients.get({ id: clientId }));
  const f = ledgerFilters(url);
  const range = f.month ? periodRange(f.month, client.timezone) : null;
  const invoiceId = optionalId(url.searchParams.get("invoice"));
  const [invoices, balance, ledger, shown, closable] = await Promise.all([
    orNotFound(context.caller.invoices.list({ clientId, limit: 100 })),
    orNotFound(context.caller.ledger.balance({ clientId })),
    orNotFound(
      context.caller.ledger.list({
        clientId,
        kind: f.kind,
        from: range?.from,
        to: range?.to,
        uninvoicedOnly: f.uninvoiced || undefined,
        cursor: f.cursor,
        limit: 200,
      }),
    ),
    invoiceId ? orNotFound(context.caller.invoices.get({ id: invoiceId })) : Promise.resolve(null),
    orNotFound(context.caller.invoices.closable({ clientId })),
  ]);
  if (shown && shown.clientId !== clientId) throw new Response("No such invoice for this client.", { status: 404 });
  const voidId = optionalId(url.searchParams.get("void"));
  const toVoid = invoices.items.find((i) => i.id === voidId && (i.status === "draft" || i.status === "issued")) ?? null;
  return {
    client,
    invoices: invoices.items,
    balance,
    ledger: ledger.items,
    nextCursor: ledger.nextCursor,
    filters: f,
    shown,
    leadNames: shown ? await invoiceLeadNames(context, shown, client.timezone, true) : {},
    toVoid,
    closable,
    agencyName: context.agencyName,
  };
}

type ActionResult = { ok: true; intent: string; message: string; warning?: string };

const invoiceId = () => ({ id: field.text });
const billingForm = () => z.discriminatedUnion("intent", [
  intent("close-period", { period: field.optional, issue: field.checkbox }),
  intent("issue", invoiceId()),
  intent("mark-paid", { ...invoiceId(), reference: field.text }),
  intent("save-bill-to", { legalName: field.text, billingAddress: field.text, taxId: field.text, paymentTermsDays: field.trimmed }),
  intent("void", { ...invoiceId(), reason: field.text }),
]);

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const form = await request.formData();
  const typed = formValues(form);
  const values = { ...typed, period: typed.period ?? "", reason: typed.reason ?? "", id: typed.id ?? "" };
  /** The invoice must belong to the client whose page this is; anything else is the 404 page. */
  const ownInvoice = async (id: string) => {
    const inv = await orNotFound(context.caller.invoices.get({ id: idParam(id, "invoice") }));
    if (inv.clientId !== clientId) throw new Response("No such invoice for this client.", { status: 404 });
    return inv;
  };
  return formAction(
    form,
    billingForm(),
    async (input): Promise<ActionResult> => {
      const { intent } = input;
      switch (input.intent) {
        case "close-period": {
          const r = await context.caller.invoices.close({ clientId, period: input.period, draft: !input.issue });
          const inv = r.invoice;
          const what = `${inv.displayNumber} for ${periodLabel(inv.period)}`;
          const review = inv.status === "draft" ? " Review it and press Issue: the client sees it once it is issued." : "";
          return r.created
            ? { ok: true, intent, message: `Closed ${periodLabel(inv.period)}: invoice ${what} (${inv.status}), total ${money(inv.totalCents, inv.currency)}.${review}` }
            : { ok: true, intent, message: "", warning: `${periodLabel(inv.period)} is already closed: invoice ${what} (${inv.status}). Nothing changed.` };
        }
        case "issue": {
          const inv = await context.caller.invoices.issue({ id: (await ownInvoice(input.id)).id });
          return { ok: true, intent, message: `Invoice ${inv.displayNumber} is issued; the client can see it as due.` };
        }
        case "mark-paid": {
          const inv = await context.caller.invoices.markPaid({ id: (await ownInvoice(input.id)).id, reference: input.reference });
          return inv.changed
            ? { ok: true, intent, message: `Invoice ${inv.displayNumber} is marked paid (reference ${inv.payment?.reference ?? input.reference}).` }
            : { ok: true, intent, message: "", warning: `Invoice ${inv.displayNumber} was already marked paid with this reference. Nothing changed.` };
        }
        case "save-bill-to": {
          const terms = input.paymentTermsDays === "" ? undefined : Number(input.paymentTermsDays);
          await context.caller.clients.update({
            id: clientId,
            legalName: input.legalName,
            billingAddress: input.billingAddress,
            taxId: input.taxId,
            paymentTermsDays: terms,
          });
          return { ok: true, intent, message: "Billing details saved. Invoices issued from now on carry them." };
        }
        case "void": {
          const inv = await context.caller.invoices.void({ id: (await ownInvoice(input.id)).id, reason: input.reason });
          return {
            ok: true,
            intent,
            message: `Invoice ${inv.displayNumber} is void. ${money(inv.rebilledCents, inv.currency)} goes back to the ledger to be billed on the next close of ${periodLabel(inv.period)}.`,
          };
        }
      }
    },
    { values },
  );
}

// eslint-disable-next-line max-lines-per-function -- a page's markup, top to bottom; its data and rules come from the loader, the action and shared components
export default function ClientBilling() {
  const { client, invoices, balance, ledger, nextCursor, filters, shown, leadNames, toVoid, closable, agencyName } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const cur = client.currency;
  const tz = client.timezone;
  const base = `/agency/clients/${client.id}/billing`;
  const failure = result && !result.ok ? result : null;
  const closeFailure = failure?.intent === "close-period" ? failure : null;
  const numberOf = new Map(invoices.map((i) => [i.id, i.displayNumber]));
  // Running balance over the rows shown, oldest first.
  const running = new Map<string, number>();
  let sum = 0;
  for (const e of [...ledger].reverse()) {
    sum += e.amountCents;
    running.set(e.id, sum);
  }
  return (
    <>
      <div className="stats">
        <div className="card">
          <div className="stat-label">Not yet invoiced</div>
          <div className="stat">{money(balance.uninvoicedCents, cur)}</div>
          <div className="muted small">
            {balance.uninvoicedEntries} ledger entr{balance.uninvoicedEntries === 1 ? "y" : "ies"}
          </div>
        </div>
        <div className="card">
          <div className="stat-label">Credit balance</div>
          <div className="stat">{money(balance.creditBalanceCents, cur)}</div>
          <div className="muted small">carried by the latest invoice</div>
        </div>
        <div className="card">
          <div className="stat-label">Next invoice now</div>
          <div className="stat">{money(Math.max(0, balance.netCents), cur)}</div>
          <div className="muted small" data-testid="next-invoice-parts">
            {[
              "uninvoiced",
              ...balance.pendingRetainers.map(
                (r) => `+ ${periodLabel(r.period)} retainer ${money(r.amountCents, cur)}${r.prorated ? ` (${r.days}/${r.daysInMonth} days)` : ""}`,
              ),
              balance.creditBalanceCents > 0 ? `− credit ${money(balance.creditBalanceCents, cur)}` : null,
            ]
              .filter(Boolean)
              .join(" ")}
            {balance.netCents < 0 ? `; ${money(-balance.netCents, cur)} credit would carry on` : ""}
          </div>
        </div>
      </div>

      {result && result.ok ? <FormMessage success={result.message || null} warning={result.warning} /> : null}
      {failure && failure.intent !== "close-period" && failure.intent !== "void" ? <FormMessage failure={failure} /> : null}

      {toVoid ? <VoidPanel invoice={toVoid} cancelTo={base} busy={busy} failure={failure?.intent === "void" ? failure : null} currency={cur} /> : null}

      {shown ? (
        <>
          <p className="no-print">
            <Link to={base} preventScrollReset>
              ← Close the invoice view
            </Link>
          </p>
          <InvoiceDocument
            invoice={shown}
            timezone={tz}
            leadNames={leadNames}
            agencyName={agencyName}
            links={{
              lead: (id) => `/agency/leads/${id}`,
              leadsList: (line: InvoiceLineView) => (line.campaignId ? `/agency/leads?clientId=${client.id}&campaignId=${line.campaignId}&status=qualified` : null),
            }}
            actions={<InvoiceDownloads csvHref={`/portal/invoices/${shown.id}.csv`} displayNumber={shown.displayNumber} />}
          />
        </>
      ) : null}

      <section className="card" aria-labelledby="close-heading">
        <h2 id="close-heading" className="card-title">
          Close a billing period
        </h2>
        <p className="muted small">
          Puts every uninvoiced entry of the month (and earlier months) on one invoice, with the retainer when the contract has one (prorated by days for a first or last
          partial month) and any carried credit. The invoice is a draft the client does not see until you issue it. Closing a month twice returns the same invoice.
          Months end at midnight in {tz}.
        </p>
        {closable.period === null ? (
          <div className="alert info" role="status">
            There is no month to close yet. {closable.reason}
            {closable.firstPeriod && closable.closableFrom
              ? ` The first one, ${periodLabel(closable.firstPeriod)}, can be closed from ${dateTime(closable.closableFrom, tz)}.`
              : ""}
          </div>
        ) : (
          <Form method="post" className="inline close-form">
            <input type="hidden" name="intent" value="close-period" />
            <label>
              Month
              <input
                type="month"
                name="period"
                required
                defaultValue={closeFailure?.values.period || closable.period}
                {...invalidProps(closeFailure?.fieldErrors.period, "close-period-error")}
              />
            </label>
            <label className="checkbox">
              <input type="checkbox" name="issue" /> Issue at once, without a draft to review
            </label>
            <button type="submit" disabled={busy}>
              Close period
            </button>
          </Form>
        )}
        <FieldError id="close-period-error" message={closeFailure?.fieldErrors.period} />
        {closeFailure ? <FormMessage failure={closeFailure} /> : null}
      </section>

      <section className="card" aria-labelledby="invoices-heading">
        <h2 id="invoices-heading" className="card-title">
          Invoices
        </h2>
        {invoices.length === 0 ? (
          <EmptyState title="No invoices yet">Close a month above to create the first one.</EmptyState>
        ) : (
          <InvoiceTable
            invoices={invoices}
            className="phone-cards"
            currency={cur}
            timeZone={tz}
            audience="agency"
            href={(inv) => `?invoice=${inv.id}`}
            lastHeader={
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            }
            lastCell={(inv) => (
              <td className="stack-actions">
                <div className="row-actions">
                  {inv.status === "draft" ? <StatusButton intent="issue" id={inv.id} label="Issue" busy={busy} number={inv.displayNumber} /> : null}
                  {inv.status === "issued" ? <MarkPaidForm id={inv.id} number={inv.displayNumber} busy={busy} failure={failure?.intent === "mark-paid" && failure.values.id === inv.id ? failure : null} /> : null}
                  {inv.status === "draft" || inv.status === "issued" ? (
                    <Link className="button secondary small-btn" to={`?void=${inv.id}`} preventScrollReset aria-label={`Void ${inv.displayNumber}`}>
                      Void…
                    </Link>
                  ) : null}
                </div>
              </td>
            )}
          />
        )}
      </section>

      <BillToCard client={client} busy={busy} failure={failure?.intent === "save-bill-to" ? failure : null} />

      <section className="card" aria-labelledby="ledger-heading">
        <div className="card-head">
          <h2 id="ledger-heading" className="card-title">
            Ledger
          </h2>
          <LedgerFilters filters={filters} />
        </div>
        {ledger.length === 0 ? (
          <EmptyState title="No ledger entries">{filters.kind || filters.month || filters.uninvoiced ? "Nothing matches these filters." : "Charges and credits appear here as leads are billed."}</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="ledger-table phone-cards">
              <thead>
                <tr>
                  <th scope="col">Written</th>
                  <th scope="col">Kind</th>
                  <th scope="col">What</th>
                  <th scope="col">Period</th>
                  <th scope="col">Invoice</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col" className="num">
                    Running balance
                  </th>
                </tr>
              </thead>
              <tbody>
                {ledger.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap" data-label="Written">
                      {dateTime(e.createdAt, tz)}
                    </td>
                    <td className="nowrap" data-label="Kind">
                      <span className={`badge ${e.amountCents < 0 ? "ok" : ""}`}>{KIND_LABEL[e.kind] ?? e.kind}</span>
                    </td>
                    <td className="ledger-what" data-label="What">
                      <div>
                        {e.leadId ? <Link to={`/agency/leads/${e.leadId}`}>View lead</Link> : null}
                        {e.leadId && e.memo ? " · " : null}
                        {e.memo ? <span className="small">{e.memo}</span> : null}
                        {!e.leadId && !e.memo ? <span className="muted small mono">{e.idempotencyKey}</span> : null}
                      </div>
                    </td>
                    <td className="nowrap" data-label="Period">
                      {e.period}
                    </td>
                    <td className="nowrap" data-label="Invoice">
                      {e.invoiceId ? <Link to={`?invoice=${e.invoiceId}`}>{numberOf.get(e.invoiceId) ?? "Invoice"}</Link> : <span className="badge info">Uninvoiced</span>}
                    </td>
                    <td className="num nowrap" data-label="Amount">
                      {money(e.amountCents, cur)}
                    </td>
                    <td className="num nowrap" data-label="Running balance">
                      {money(running.get(e.id) ?? 0, cur)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="muted small table-note">
          Newest first. Running balance: the sum of the entries shown up to each row, oldest first{nextCursor || filters.cursor ? " (this page only)" : ""}. Months are in {tz}.
        </p>
        {nextCursor || filters.cursor ? <LedgerPager nextCursor={nextCursor} /> : null}
      </section>
    </>
  );
}

function MarkPaidForm(props: { id: string; number: string; busy: boolean; failure: { fieldErrors: Record<string, string>; values: Record<string, string> } | null }) {
  const err = props.failure?.fieldErrors.reference;
  const errId = `paid-${props.id.slice(0, 8)}-error`;
  return (
    <Form method="post" preventScrollReset className="mark-paid">
      <input type="hidden" name="intent" value="mark-paid" />
      <input type="hidden" name="id" value={props.id} />
      <input
        name="reference"
        required
        maxLength={120}
        placeholder="Payment reference"
        aria-label={`Payment reference for ${props.number}`}
        defaultValue={props.failure?.values.reference ?? ""}
        {...invalidProps(err, errId)}
      />
      <button type="submit" className="small-btn" disabled={props.busy} aria-label={`Mark ${props.number} paid`}>
        Mark paid
      </button>
      <FieldError id={errId} message={err} />
    </Form>
  );
}

/** The client's bill-to details and payment terms, printed on invoices issued from now on. */
function BillToCard(props: {
  client: { legalName: string | null; billingAddress: string | null; taxId: string | null; paymentTermsDays: number; name: string };
  busy: boolean;
  failure: { fieldErrors: Record<string, string>; values: Record<string, string> } | null;
}) {
  const c = props.client;
  const v = props.failure?.values;
  const fe = props.failure?.fieldErrors ?? {};
  return (
    <section className="card" aria-labelledby="bill-to-heading">
      <h2 id="bill-to-heading" className="card-title">
        Bill-to details and payment terms
      </h2>
      <p className="muted small">Printed on every invoice issued from now on; an issued invoice keeps the details it was issued with.</p>
      <Form method="post" className="stack" preventScrollReset>
        <input type="hidden" name="intent" value="save-bill-to" />
        <div className="field-grid">
          <label>
            Legal name
            <input name="legalName" maxLength={200} placeholder={c.name} defaultValue={v?.legalName ?? c.legalName ?? ""} {...invalidProps(fe.legalName, "bill-legal-error")} />
            <FieldError id="bill-legal-error" message={fe.legalName} />
          </label>
          <label>
            Tax ID
            <input name="taxId" maxLength={60} defaultValue={v?.taxId ?? c.taxId ?? ""} {...invalidProps(fe.taxId, "bill-tax-error")} />
            <FieldError id="bill-tax-error" message={fe.taxId} />
          </label>
          <label>
            Payment terms (days)
            <input name="paymentTermsDays" type="number" min={0} max={120} required defaultValue={v?.paymentTermsDays ?? String(c.paymentTermsDays)} {...invalidProps(fe.paymentTermsDays, "bill-terms-error")} />
            <span className="hint">15 means net 15: due 15 days after the invoice is issued; 0 is due on receipt.</span>
            <FieldError id="bill-terms-error" message={fe.paymentTermsDays} />
          </label>
        </div>
        <label>
          Billing address
          <textarea name="billingAddress" rows={3} maxLength={500} defaultValue={v?.billingAddress ?? c.billingAddress ?? ""} {...invalidProps(fe.billingAddress, "bill-address-error")} />
          <FieldError id="bill-address-error" message={fe.billingAddress} />
        </label>
        <div>
          <button type="submit" disabled={props.busy}>
            Save billing details
          </button>
        </div>
      </Form>
    </section>
  );
}

function StatusButton(props: { intent: string; id: string; label: string; busy: boolean; number: string }) {
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="intent" value={props.intent} />
      <input type="hidden" name="id" value={props.id} />
      <button type="submit" className="small-btn" disabled={props.busy} aria-label={`${props.label} ${props.number}`}>
        {props.label}
      </button>
    </Form>
  );
}

function VoidPanel(props: {
  invoice: { id: string; displayNumber: string; period: string; totalCents: number; status: string };
  cancelTo: string;
  busy: boolean;
  currency: string;
  failure: { message: string; fieldErrors: Record<string, string>; values: Record<string, string> } | null;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const inv = props.invoice;
  const reasonError = props.failure?.fieldErrors.reason;
  return (
    <div className="card confirm-panel" role="alertdialog" aria-labelledby="void-title" aria-describedby="void-body" tabIndex={-1} ref={ref}>
      <h2 id="void-title" className="card-title">
        {`Void invoice ${inv.displayNumber}?`}
      </h2>
      <p id="void-body">
        {periodLabel(inv.period)}, {inv.status}, total {money(inv.totalCents, props.currency)}. Voiding cannot be undone: the invoice stays on record as void, nothing on it is
        owed, and its charges go back to the ledger to be billed again by the next close of that month.
      </p>
      {props.failure && !reasonError ? <FormMessage failure={props.failure} /> : null}
      <Form method="post" className="stack" preventScrollReset>
        <input type="hidden" name="intent" value="void" />
        <input type="hidden" name="id" value={inv.id} />
        <label>
          Reason <span className="hint">Shown on the invoice and kept in the audit log.</span>
          <textarea
            name="reason"
            className="prose short"
            rows={3}
            required
            minLength={3}
            maxLength={500}
            defaultValue={props.failure?.values.reason ?? ""}
            {...invalidProps(reasonError, "void-reason-error")}
          />
          <FieldError id="void-reason-error" message={reasonError} />
        </label>
        <div className="actions">
          <button type="submit" className="danger" disabled={props.busy}>
            Void invoice
          </button>
          <Link className="button secondary" to={props.cancelTo} preventScrollReset>
            Cancel
          </Link>
        </div>
      </Form>
    </div>
  );
}

function LedgerFilters(props: { filters: { kind?: string; month?: string; uninvoiced: boolean } }) {
  const f = props.filters;
  const here = useLocation().pathname;
  return (
    <Form method="get" className="inline" role="search" aria-label="Filter the ledger" preventScrollReset>
      <label>
        Kind
        <select name="kind" defaultValue={f.kind ?? ""}>
          <option value="">All kinds</option>
          {KINDS.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Month written
        <input type="month" name="month" defaultValue={f.month ?? ""} />
      </label>
      <label className="checkbox">
        <input type="checkbox" name="uninvoiced" value="1" defaultChecked={f.uninvoiced} /> Uninvoiced only
      </label>
      <button type="submit" className="secondary">
        Filter
      </button>
      {f.kind || f.month || f.uninvoiced ? (
        <Link to={here} preventScrollReset>
          Clear
        </Link>
      ) : null}
    </Form>
  );
}

function LedgerPager(props: { nextCursor: string | null }) {
  const [params] = useSearchParams();
  const first = new URLSearchParams(params);
  first.delete("cursor");
  const next = new URLSearchParams(params);
  if (props.nextCursor) next.set("cursor", props.nextCursor);
  return (
    <div className="pager">
      {params.get("cursor") ? (
        <Link className="button secondary" to={`?${first.toString()}`} preventScrollReset>
          Newest entries
        </Link>
      ) : null}
      {props.nextCursor ? (
        <Link className="button secondary" to={`?${next.toString()}`} preventScrollReset>
          Older entries
        </Link>
      ) : null}
    </div>
  );
}
