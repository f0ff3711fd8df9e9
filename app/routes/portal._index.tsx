import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { LeadsPerDayChart } from "~/components/dashboard";
import { Countdown, reasonText } from "~/components/dispute";
import { calendarDate, dateOnly, leadLabel, money, times } from "~/lib/format";
import { requireClientUser } from "~/lib/guards.server";

export const meta: MetaFunction = () => [{ title: "Overview · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  const [client, overview] = await Promise.all([context.caller.clients.get({ id: user.clientId }), context.caller.reports.overview({})]);
  return { client, overview };
}


function Stat(props: { label: string; value: ReactNode; to?: string; children?: ReactNode }) {
  return (
    <div className="card stat-card">
      <div className="stat-label">{props.label}</div>
      <div className="stat">{props.to ? <Link to={props.to}>{props.value}</Link> : props.value}</div>
      {props.children ? <div className="muted small">{props.children}</div> : null}
    </div>
  );
}

export default function PortalHome() {
  const { client, overview: o } = useLoaderData<typeof loader>();
  const tz = o.timezone;
  const cur = o.currency;
  const month = new Date(o.monthStart).toLocaleDateString("en-US", { timeZone: tz, month: "long" });
  const monthFrom = `?from=${calendarDate(o.monthStart, tz)}`;
  const today = `?from=${calendarDate(o.dayStart, tz)}`;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{client.name}</h1>
          <p className="subtitle">
            {month} so far. Times in {tz}; amounts in {cur}.
          </p>
        </div>
      </div>
      <div className="stats overview-stats">
        <Stat label={`Leads in ${month}`} value={o.month.leads} to={`/portal/leads${monthFrom}`}>
          <Link to={`/portal/leads${monthFrom}&status=qualified`}>{o.month.qualified} qualified</Link> ·{" "}
          <Link to={`/portal/leads${monthFrom}&status=rejected`}>{o.month.rejected} rejected</Link>
        </Stat>
        <Stat label={`Spend in ${month}`} value={money(o.month.spendCents, cur)} to="/portal/invoices">
          {o.month.creditsCents > 0 ? `charges less ${money(o.month.creditsCents, cur)} in credits` : "charges; no credits this month"}
        </Stat>
        <Stat label="Amount due" value={money(o.due.cents, cur)} to="/portal/invoices">
          {o.due.invoices === 0 ? "nothing to pay" : `${o.due.invoices} issued invoice${o.due.invoices === 1 ? "" : "s"}, the oldest from ${dateOnly(o.due.oldestIssuedAt, tz)}`}
        </Stat>
        <Stat label="Next invoice (estimate)" value={money(o.nextInvoice.netCents, cur)} to="/portal/invoices">
          {o.nextInvoice.pendingRetainerCents > 0 ? `includes a ${money(o.nextInvoice.pendingRetainerCents, cur)} retainer` : "charges not yet invoiced"}
          {o.nextInvoice.creditBalanceCents > 0 ? `, less ${money(o.nextInvoice.creditBalanceCents, cur)} credit` : ""}
        </Stat>
        <Stat label="Leads today" value={o.today.leads} to={`/portal/leads${today}`}>
          {o.today.qualified} qualified · {o.today.rejected} rejected
        </Stat>
        <Stat label="Cost per qualified lead" value={money(o.costPerQualifiedCents, cur)}>
          {o.month.qualified} qualified this month
        </Stat>
        <Stat label="Cost per won deal" value={money(o.costPerWonCents, cur)} to={`/portal/leads${monthFrom}&outcome=won`}>
          {o.month.won} won this month
        </Stat>
        <Stat label="Return on won deals" value={times(o.returnBps)}>
          {money(o.month.wonValueCents, cur)} in won deal values
        </Stat>
        <Stat label="Waiting for an outcome" value={o.awaitingOutcome} to="/portal/leads?status=qualified&outcome=none">
          qualified leads not yet marked won or lost
        </Stat>
        <Stat label="Open disputes" value={o.openDisputes.count} to="/portal/disputes" />
      </div>
      <div className="card">
        <h2 className="card-title">Leads, last {o.days.length} days</h2>
        <LeadsPerDayChart days={o.days} title={`Leads per day, last ${o.days.length} days`} />
      </div>
      <div className="card">
        <div className="card-head">
          <h2 className="card-title">Open disputes</h2>
          <Link to="/portal/disputes">All disputes →</Link>
        </div>
        {o.openDisputes.soonest.length === 0 ? (
          <p className="muted">No open disputes. To dispute a lead, open it from the leads list.</p>
        ) : (
          <ul className="plain-list">
            {o.openDisputes.soonest.map((d) => (
              <li key={d.id}>
                <Link to={`/portal/disputes/${d.id}`}>{reasonText(d.reason)}</Link> on{" "}
                <Link to={`/portal/leads/${d.leadId}`}>{leadLabel({ name: d.leadName, phone: d.leadPhone, receivedAt: d.leadReceivedAt }, tz)}</Link>
                <div className="small">
                  <Countdown dueAt={d.dueAt} timeZone={tz} now={o.at} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}
