import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DueText, InvoiceTable } from "~/components/invoice";
import { EmptyState } from "~/components/layout";
import { money } from "~/lib/format";
import { orNotFound, requireClientUser } from "~/lib/guards.server";

/**
 * The client's invoices, newest first, with where the account stands: what is due on issued
 * invoices, the credit carried to the next invoice and what has been charged since the last one.
 */

export const meta: MetaFunction = () => [{ title: "Invoices · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  const cursor = new URL(request.url).searchParams.get("cursor")?.slice(0, 200) || undefined;
  const [client, page, balance] = await Promise.all([
    orNotFound(context.caller.clients.get({ id: user.clientId })),
    orNotFound(context.caller.invoices.list({ limit: 100, cursor })),
    orNotFound(context.caller.ledger.balance({})),
  ]);
  return { client, invoices: page.items, nextCursor: page.nextCursor, balance, paged: !!cursor };
}

// eslint-disable-next-line max-lines-per-function -- a page's markup, top to bottom; its data and rules come from the loader, the action and shared components
export default function PortalInvoices() {
  const { client, invoices, nextCursor, balance, paged } = useLoaderData<typeof loader>();
  const cur = client.currency;
  const tz = client.timezone;
  // Running balance: what is due on issued (unpaid) invoices up to each one, oldest first.
  const running = new Map<string, number>();
  let due = 0;
  for (const inv of [...invoices].reverse()) {
    if (inv.status === "issued") due += inv.totalCents;
    running.set(inv.id, due);
  }
  const unpaid = invoices.filter((i) => i.status === "issued");
  const overdueCents = unpaid.filter((i) => i.overdue).reduce((a, i) => a + i.totalCents, 0);
  const nextDue = unpaid.filter((i) => !i.overdue && i.dueDate).sort((a, b) => (a.dueDate! < b.dueDate! ? -1 : 1))[0] ?? null;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Invoices</h1>
          <p className="subtitle">One invoice per month. Every line traces to the leads and credits behind it. Amounts in {cur}.</p>
        </div>
      </div>
      <div className="stats">
        <div className="card">
          <div className="stat-label">Due on issued invoices</div>
          <div className="stat">{money(due, cur)}</div>
          <div className="muted small">
            {unpaid.length} unpaid
            {nextDue ? (
              <>
                {" "}
                · next due <DueText invoice={nextDue} />
              </>
            ) : null}
          </div>
          {overdueCents > 0 ? (
            <div className="small">
              <span className="badge bad">{money(overdueCents, cur)} overdue</span>
            </div>
          ) : null}
        </div>
        <div className="card">
          <div className="stat-label">Credit balance</div>
          <div className="stat">{money(balance.creditBalanceCents, cur)}</div>
          <div className="muted small">taken off your next invoice</div>
        </div>
        <div className="card">
          <div className="stat-label">Not yet invoiced</div>
          <div className="stat">{money(balance.uninvoicedCents, cur)}</div>
          <div className="muted small">
            {balance.uninvoicedEntries} charge{balance.uninvoicedEntries === 1 ? "" : "s"} and credit{balance.uninvoicedEntries === 1 ? "" : "s"} since the last invoice
          </div>
        </div>
      </div>
      <section className="card" aria-labelledby="invoices-heading">
        <h2 id="invoices-heading" className="card-title">
          Your invoices
        </h2>
        {invoices.length === 0 ? (
          <EmptyState title="No invoices yet">Your first invoice appears here after the agency closes a billing month.</EmptyState>
        ) : (
          <InvoiceTable
            invoices={invoices}
            className="invoice-list phone-cards"
            currency={cur}
            timeZone={tz}
            audience="client"
            href={(inv) => `/portal/invoices/${inv.id}`}
            lastHeader={
              <th scope="col" className="num">
                Running balance
              </th>
            }
            lastCell={(inv) => (
              <td className="num nowrap" data-label="Running balance">
                {money(running.get(inv.id) ?? 0, cur)}
              </td>
            )}
          />
        )}
        <p className="muted small table-note">Running balance: the total of issued, unpaid invoices up to and including each one{paged ? " (on this page)" : ""}.</p>
        {nextCursor || paged ? (
          <div className="pager">
            {paged ? (
              <Link className="button secondary" to="/portal/invoices">
                Newest invoices
              </Link>
            ) : null}
            {nextCursor ? (
              <Link className="button secondary" to={`?cursor=${encodeURIComponent(nextCursor)}`}>
                Older invoices
              </Link>
            ) : null}
          </div>
        ) : null}
      </section>
    </>
  );
}
