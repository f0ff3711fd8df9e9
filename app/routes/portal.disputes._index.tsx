import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Countdown, DISPUTE_STATUS, DisputeStatusBadge, reasonText } from "~/components/dispute";
import { DisputePager, disputeListInput } from "~/components/dispute-list";
import { EmptyState } from "~/components/layout";
import { dateTime, money } from "~/lib/format";
import { orNotFound, requireClientUser } from "~/lib/guards.server";

/** The client's disputes, newest first: status, lead, reason, deadline, outcome and credit. */

export const meta: MetaFunction = () => [{ title: "Disputes · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  const url = new URL(request.url);
  const [client, page] = await Promise.all([orNotFound(context.caller.clients.get({ id: user.clientId })), context.caller.disputes.list(disputeListInput(url, { defaultStatus: null }))]);
  return { timezone: client.timezone, page, now: context.now.toISOString() };
}

export default function PortalDisputes() {
  const { timezone: tz, page, now } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const filtered = params.has("status");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Disputes</h1>
          <p className="subtitle">Leads you disputed, the agency's answer and the credits they gave. Open a lead to dispute it. Times are in {tz}.</p>
        </div>
      </div>
      <div className="card">
        <Form method="get" className="inline" role="search" aria-label="Filter disputes">
          <label>
            Status
            <select name="status" defaultValue={params.get("status") ?? ""}>
              <option value="">Any</option>
              {Object.entries(DISPUTE_STATUS).map(([value, s]) => (
                <option key={value} value={value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Apply</button>
          {filtered ? (
            <Link to="?" className="button secondary">
              Clear
            </Link>
          ) : null}
        </Form>
      </div>
      {page.items.length === 0 ? (
        filtered ? (
          <EmptyState title="No disputes match this filter">Clear the filter to see all your disputes.</EmptyState>
        ) : (
          <EmptyState title="No disputes yet">
            When a charged lead is wrong — a wrong number, a duplicate, spam — open it from <Link to="/portal/leads">Leads</Link> and use “Dispute this lead”.
          </EmptyState>
        )
      ) : (
        <div className="table-wrap">
          <table className="dispute-table">
            <thead>
              <tr>
                <th>Status</th>
                <th>Lead</th>
                <th>Reason</th>
                <th>Opened</th>
                <th>Deadline / outcome</th>
                <th className="num">Credit</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((d) => (
                <tr key={d.id}>
                  <td data-label="Status">
                    <DisputeStatusBadge status={d.status} />
                  </td>
                  <td data-label="Lead">
                    <Link to={`/portal/disputes/${d.id}`} className="strong-link">
                      {d.leadName || "Unnamed lead"}
                    </Link>
                    <div className="muted small">{d.campaignName}</div>
                  </td>
                  <td data-label="Reason">{reasonText(d.reason)}</td>
                  <td className="nowrap" data-label="Opened">
                    {dateTime(d.openedAt, tz)}
                  </td>
                  <td className="deadline-cell" data-label={d.status === "open" ? "Deadline" : "Outcome"}>
                    {d.status === "open" ? (
                      <Countdown dueAt={d.dueAt} timeZone={tz} now={now} />
                    ) : (
                      <>
                        <span className="muted small">decided {dateTime(d.resolvedAt, tz)}</span>
                        {d.resolutionNote ? <div className="clamp-2">{d.resolutionNote}</div> : null}
                      </>
                    )}
                  </td>
                  <td className="num" data-label="Credit">{d.creditCents ? money(d.creditCents) : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <DisputePager nextCursor={page.nextCursor} />
    </>
  );
}
