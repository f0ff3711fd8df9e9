import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Countdown, DISPUTE_STATUS } from "~/components/dispute";
import { DisputePager, disputeListInput } from "~/components/dispute-list";
import { DisputeTable, disputeColumns } from "~/components/dispute-table";
import { EmptyState } from "~/components/layout";
import { dateTime } from "~/lib/format";
import { orNotFound, requireClientUser } from "~/lib/guards.server";
import { FilterButtons } from "~/components/filters";

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
          <FilterButtons filtered={filtered} />
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
        <DisputeTable
          items={page.items}
          className="dispute-table"
          columns={[
            disputeColumns.status(),
            disputeColumns.lead((d) => `/portal/disputes/${d.id}`),
            disputeColumns.reason(),
            disputeColumns.opened(() => tz),
            {
              header: "Deadline / outcome",
              label: (d) => (d.status === "open" ? "Deadline" : "Outcome"),
              className: "deadline-cell",
              cell: (d) =>
                d.status === "open" ? (
                  <Countdown dueAt={d.dueAt} timeZone={tz} now={now} />
                ) : (
                  <>
                    <span className="muted small">decided {dateTime(d.resolvedAt, tz)}</span>
                    {d.resolutionNote ? <div className="clamp-2">{d.resolutionNote}</div> : null}
                  </>
                ),
            },
            disputeColumns.credit(),
          ]}
        />
      )}
      <DisputePager nextCursor={page.nextCursor} />
    </>
  );
}
