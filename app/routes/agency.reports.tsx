import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { pct } from "~/components/dashboard";
import { LeadQualityReport } from "~/components/lead-quality-report";
import { EmptyState, FieldError } from "~/components/layout";
import { formFailure, requireAgency } from "~/lib/guards.server";
import { ClientSelect } from "~/components/filters";
import { FigureCells } from "~/components/sources-report";
import { agencyReportScope } from "~/lib/sources-report.server";
import { calendarDate } from "~/lib/format";

export const meta: MetaFunction = () => [{ title: "Reports · LeadLedger" }];


export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const url = new URL(request.url);
  // Default: this month to date, in the chosen (or first) client's time zone.
  const { clients, clientId, tz } = await agencyReportScope(context, url);
  const today = calendarDate(context.now, tz);
  const from = url.searchParams.get("from") || `${today.slice(0, 8)}01`;
  const to = url.searchParams.get("to") || today;
  const query = new URLSearchParams({ from, to, ...(clientId ? { clientId } : {}) }).toString();
  try {
    const [report, quality] = await Promise.all([context.caller.reports.summary({ from, to, clientId }), context.caller.reports.quality({ from, to, clientId })]);
    return { clients, filter: { from, to, clientId: clientId ?? "" }, query, report, quality, failure: null };
  } catch (e) {
    return { clients, filter: { from, to, clientId: clientId ?? "" }, query, report: null, quality: null, failure: formFailure(e) };
  }
}

const REASON_LABEL: Record<string, string> = {
  wrong_number: "wrong number",
  out_of_area: "out of area",
  duplicate: "duplicate",
  spam: "spam",
  not_looking: "not looking",
  other: "other",
};

function ReasonBreakdown({ byReason, rates }: { byReason: Record<string, number>; rates: Record<string, number | null> }) {
  const items = Object.entries(byReason).filter(([, n]) => n > 0);
  if (items.length === 0) return null;
  return (
    <ul className="reason-list muted small" aria-label="By reason">
      {items.map(([k, n]) => (
        <li key={k}>
          {REASON_LABEL[k] ?? k.replace(/_/g, " ")}: {n} ({pct(rates[k] ?? null)})
        </li>
      ))}
    </ul>
  );
}

// eslint-disable-next-line max-lines-per-function -- a page's markup, top to bottom; its data and rules come from the loader, the action and shared components
export default function AgencyReports() {
  const { clients, filter, query, report, quality, failure } = useLoaderData<typeof loader>();
  const fe = failure?.fieldErrors ?? {};
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Reports</h1>
          <p className="subtitle">Leads, money and outcomes per client and campaign. Dates are read in each client's own time zone.</p>
        </div>
        <Link className="button secondary" to="/agency/reports/sources">
          By source and keyword
        </Link>
        {report && report.rows.length > 0 ? (
          <a className="button secondary" href={`/agency/reports.csv?${query}`} download>
            Download CSV
          </a>
        ) : null}
      </div>

      <div className="card">
        <Form method="get" className="inline" aria-label="Report range">
          <label>
            From
            <input type="date" name="from" defaultValue={filter.from} required aria-invalid={fe.from ? true : undefined} aria-describedby="from-error" />
            <FieldError id="from-error" message={fe.from} />
          </label>
          <label>
            To
            <input type="date" name="to" defaultValue={filter.to} required aria-invalid={fe.to ? true : undefined} aria-describedby="to-error" />
            <FieldError id="to-error" message={fe.to} />
          </label>
          <ClientSelect clients={clients} defaultValue={filter.clientId} />
          <button type="submit">Show report</button>
        </Form>
      </div>

      {failure ? (
        <div className="alert error" role="alert">
          {failure.message} {fe.to ? `The end date ${fe.to}.` : fe.from ? `The start date ${fe.from}.` : ""}
        </div>
      ) : null}

      {report ? (
        report.rows.length === 0 ? (
          <div className="card">
            {clients.length === 0 ? (
              <EmptyState title="No clients yet">
                <p>
                  <Link to="/agency/clients">Create your first client</Link>, publish its contract and connect a form or tracking number; its leads, money and
                  outcomes are reported here.
                </p>
              </EmptyState>
            ) : (
              <EmptyState title="Nothing in this range">
                <p>
                  No leads, charges or disputes between {report.from} and {report.to}. Pick a wider date range or another client.
                </p>
              </EmptyState>
            )}
          </div>
        ) : (
          <div className="table-wrap">
            <table className="report-table">
              <caption className="visually-hidden">
                Report from {report.from} to {report.to}, per client and campaign
              </caption>
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col" className="num">
                    Leads
                  </th>
                  <th scope="col" className="num">
                    Qualified
                  </th>
                  <th scope="col" className="num">
                    Billed
                  </th>
                  <th scope="col" className="num">
                    Won
                  </th>
                  <th scope="col" className="num">
                    Revenue
                  </th>
                  <th scope="col" className="num">
                    Cost per lead
                  </th>
                  <th scope="col" className="num">
                    Cost per acquisition
                  </th>
                  <th scope="col">Dispute rate</th>
                </tr>
              </thead>
              {report.clientTotals.map((total) => (
                <tbody key={total.clientId}>
                  <tr className="group-row">
                    <th scope="rowgroup" colSpan={9}>
                      {total.clientName} <span className="muted small">· {total.timezone}</span>
                    </th>
                  </tr>
                  {report.rows
                    .filter((r) => r.clientId === total.clientId)
                    .map((r) => (
                      <tr key={`${r.clientId}:${r.campaignId ?? "none"}`}>
                        <td className="indent">{r.campaignId ? r.campaignName : <span className="muted">Not tied to a campaign (retainer, adjustments)</span>}</td>
                        <FigureCells r={r} />
                        <td>
                          {pct(r.disputeRateBps)}
                          <ReasonBreakdown byReason={r.disputesByReason} rates={r.disputeRateByReasonBps} />
                        </td>
                      </tr>
                    ))}
                  <tr className="total-row">
                    <th scope="row" className="indent">
                      Total {total.clientName}
                    </th>
                    <FigureCells r={total} />
                    <td>
                      {pct(total.disputeRateBps)}
                      <ReasonBreakdown byReason={total.disputesByReason} rates={total.disputeRateByReasonBps} />
                    </td>
                  </tr>
                </tbody>
              ))}
            </table>
          </div>
        )
      ) : null}
      <LeadQualityReport report={quality} />
      <p className="muted small table-note">
        Leads, qualified, won and revenue count leads received in the range; billed is the net of charges and credits written in the range. Cost per lead
        is lead charges ÷ qualified leads (retainers, acquisition fees and revenue share are not in it); cost per acquisition is everything billed ÷ won. Dispute rate is disputes opened in the range over billable leads.
      </p>
    </>
  );
}
