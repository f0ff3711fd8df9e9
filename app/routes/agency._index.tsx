import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { LeadsPerDayChart, PacingBar, parseSort, pct, SortHeader, sortAndFilter, UpdatedAt, useAutoRefresh } from "~/components/dashboard";
import { EmptyState } from "~/components/layout";
import { duration, money } from "~/lib/format";
import { requireAgency } from "~/lib/guards.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · LeadLedger" }];

/** Refresh interval of the dashboard (while the tab is visible). */
const REFRESH_MS = 10_000;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const url = new URL(request.url);
  const [report, perDay] = await Promise.all([context.caller.reports.delivery(), context.caller.reports.leadsPerDay({ days: 30 })]);
  const { sort, dir } = parseSort(url.searchParams);
  const q = (url.searchParams.get("q") ?? "").trim();
  return {
    at: report.at.toISOString(),
    totals: report.totals,
    clientCount: report.rows.length,
    rows: sortAndFilter(report.rows, { q, sort, dir }),
    days: perDay.days,
    q,
    sort,
    dir,
  };
}

// eslint-disable-next-line max-lines-per-function -- a page's markup, top to bottom; its data and rules come from the loader, the action and shared components
export default function AgencyDashboard() {
  const { at, totals, clientCount, rows, days, q, sort, dir } = useLoaderData<typeof loader>();
  const { refreshing, refresh } = useAutoRefresh(REFRESH_MS);
  const billed = Object.entries(totals.billedMonthByCurrency);
  const chartHasLeads = days.some((d) => d.qualified + d.rejected + d.received > 0);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Delivery</h1>
          <p className="subtitle">Today and this month for every client, each in its own time zone.</p>
        </div>
        <div className="live">
          <span className={`live-dot${refreshing ? " busy" : ""}`} aria-hidden="true" />
          <span>
            Updated <UpdatedAt at={at} />
          </span>
          <button type="button" className="secondary small-btn" onClick={refresh} disabled={refreshing}>
            Refresh
          </button>
        </div>
      </div>

      {clientCount === 0 ? (
        <div className="card">
          <EmptyState title="No clients yet">
            <p>
              Start by <Link to="/agency/clients">creating your first client</Link>, then publish its contract and connect a form or tracking number. Its leads,
              money and pacing show up here as they arrive.
            </p>
          </EmptyState>
        </div>
      ) : (
        <>
          <div className="stats">
            <div className="card">
              <div className="stat-label">Leads today</div>
              <div className="stat">{totals.leadsToday.toLocaleString("en-US")}</div>
              <div className="muted small">{totals.qualifiedToday.toLocaleString("en-US")} qualified</div>
            </div>
            <div className="card">
              <div className="stat-label">Leads this month</div>
              <div className="stat">{totals.leadsMonth.toLocaleString("en-US")}</div>
              <div className="muted small">{totals.qualifiedMonth.toLocaleString("en-US")} qualified</div>
            </div>
            <div className="card">
              <div className="stat-label">Billed for this month</div>
              {billed.length === 0 ? <div className="stat">{money(0)}</div> : billed.map(([cur, cents]) => <div className="stat" key={cur}>{money(cents, cur)}</div>)}
              <div className="muted small">charges minus credits</div>
            </div>
            <div className="card">
              <div className="stat-label">Pacing warnings</div>
              <div className="stat">{totals.pacingWarnings}</div>
              <div className="muted small">
                of {totals.clients} client{totals.clients === 1 ? "" : "s"} · {totals.failedAlertsToday} failed alert{totals.failedAlertsToday === 1 ? "" : "s"} today
              </div>
            </div>
          </div>

          <section className="card" aria-labelledby="chart-heading">
            <h2 id="chart-heading" className="card-title">
              Leads per day, last 30 days
            </h2>
            {chartHasLeads ? (
              <LeadsPerDayChart days={days} title="Leads per day by status, last 30 days" />
            ) : (
              <EmptyState title="No leads in the last 30 days">
                <p>
                  Leads appear as soon as a client's form, vendor API key or tracking number receives one. Check a client's setup on the{" "}
                  <Link to="/agency/clients">Clients</Link> page.
                </p>
              </EmptyState>
            )}
          </section>

          <section className="card" aria-labelledby="clients-heading">
            <div className="card-head">
              <h2 id="clients-heading" className="card-title">
                Clients
              </h2>
              <Form method="get" className="inline" role="search" aria-label="Search clients">
                <input type="hidden" name="sort" value={sort} />
                <input type="hidden" name="dir" value={dir} />
                <label>
                  Search clients
                  <input name="q" type="search" defaultValue={q} placeholder="Client name" />
                </label>
                <button type="submit">Search</button>
                {q ? (
                  <Link to={`?sort=${sort}&dir=${dir}`} className="button secondary">
                    Clear
                  </Link>
                ) : null}
              </Form>
            </div>
            {rows.length === 0 ? (
              <EmptyState title={`No clients match “${q}”`}>
                <p>Search for part of a client's name, or clear the search.</p>
              </EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="dashboard-table">
                  <caption className="visually-hidden">Delivery per client, sortable by the column headers</caption>
                  <thead>
                    <tr>
                      <SortHeader sort="name" />
                      <SortHeader sort="leads" label="Leads" className="num" />
                      <SortHeader sort="qualified_rate" className="num" />
                      <SortHeader sort="billed" label="Billed" className="num" />
                      <SortHeader sort="pacing" label="Pacing vs cap" />
                      <SortHeader sort="dispute_rate" className="num" />
                      <th scope="col" className="num">
                        Failed alerts
                      </th>
                      <th scope="col" className="num">
                        Speed to lead
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.clientId}>
                        <td>
                          <Link to={`/agency/clients/${r.clientId}`} className="strong-link">
                            {r.clientName}
                          </Link>
                          <div className="muted small">
                            {r.timezone} · {r.contractVersion === null ? "no contract" : `contract v${r.contractVersion}`}
                          </div>
                          {r.clientStatus !== "active" ? <span className="badge warn">{r.clientStatus}</span> : null}
                        </td>
                        <td data-label="Leads this month" className="num">
                          <strong>{r.month.leads.toLocaleString("en-US")}</strong>
                          <div className="muted small nowrap">{r.today.leads.toLocaleString("en-US")} today</div>
                        </td>
                        <td data-label="Qualified rate" className="num">
                          {pct(r.month.qualifiedRateBps)}
                          <div className="muted small">{r.month.qualified.toLocaleString("en-US")} qualified</div>
                          <div className="muted small">today {pct(r.today.qualifiedRateBps)}</div>
                        </td>
                        <td data-label="Billed this month" className="num">
                          {money(r.month.billedCents, r.currency)}
                          <div className="muted small">today {money(r.today.billedCents, r.currency)}</div>
                        </td>
                        <td data-label="Pacing vs cap" className="pacing-cell">
                          <PacingBar pacing={r.pacing} currency={r.currency} timeZone={r.timezone} />
                        </td>
                        <td data-label="Dispute rate" className="num">
                          {pct(r.month.disputeRateBps)}
                          <div className="muted small">
                            {r.month.disputesOpened} of {r.month.billableLeads} billable
                          </div>
                        </td>
                        <td data-label="Failed alerts" className="num">
                          {r.today.failedAlerts > 0 ? <span className="badge bad">{r.today.failedAlerts} today</span> : <span>0 today</span>}
                          <div className="muted small">{r.month.failedAlerts} this month</div>
                        </td>
                        <td data-label="Speed to lead" className="num">
                          {duration(r.month.speedToLead.p50Seconds)}
                          <div className="muted small">
                            {r.month.speedToLead.alertedLeads > 0 ? `p90 ${duration(r.month.speedToLead.p90Seconds)}` : "no alerts sent"}
                          </div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <p className="muted small table-note">
              Billed is charges minus credits of this month's billing period (in each client's time zone), whenever they were written: a retainer
              for last month written today counts for last month. Dispute rate is disputes opened this month over billable leads. Speed to lead is the time from a lead
              arriving to its first SMS alert (median, p90), this month.
            </p>
          </section>
        </>
      )}
    </>
  );
}
