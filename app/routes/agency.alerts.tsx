import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { AlertStatusList } from "~/components/alert-status";
import { duration } from "~/lib/format";
import { EmptyState } from "~/components/layout";
import { orNotFound, requireAgency } from "~/lib/guards.server";
import { ClientSelect } from "~/components/filters";
import { viewerZone } from "~/lib/viewer-zone.server";
import { DisputePager } from "~/components/dispute-list";

/**
 * The alerts log across clients: failures (failed, undelivered) first with their readable reasons
 * and Twilio codes, then skipped ones, then the rest, newest first — filterable by status and
 * client — and speed to lead (p50/p90 from a lead received to its first SMS sent / delivered) per
 * client over the last 30 days.
 */

export const meta: MetaFunction = () => [{ title: "Alerts · LeadLedger" }];

const STATUSES = [
  ["failed", "Failed"],
  ["undelivered", "Undelivered"],
  ["skipped", "Skipped"],
  ["pending", "Queued"],
  ["sending", "Sending"],
  ["sent", "Sent"],
  ["delivered", "Delivered"],
] as const;
type Status = (typeof STATUSES)[number][0];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Speed to lead is computed per client with one query each; beyond this many clients, pick one. */
const SPEED_CLIENTS = 50;
const WINDOW_DAYS = 30;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const p = new URL(request.url).searchParams;
  const statusRaw = p.get("status");
  const status = STATUSES.some(([s]) => s === statusRaw) ? (statusRaw as Status) : undefined;
  const clientRaw = p.get("clientId");
  const clientId = clientRaw && UUID.test(clientRaw) ? clientRaw : undefined;
  const clients = await orNotFound(context.caller.clients.list());
  const from = new Date(context.now.getTime() - WINDOW_DAYS * 86_400_000).toISOString();
  const speedFor = clientId ? clients.filter((c) => c.id === clientId) : clients.filter((c) => c.status === "active").slice(0, SPEED_CLIENTS);
  const [alerts, speed] = await Promise.all([
    orNotFound(context.caller.alerts.page({ clientId, status, limit: 100, cursor: p.get("cursor")?.slice(0, 300) || undefined })),
    Promise.all(speedFor.map(async (c) => ({ client: { id: c.id, name: c.name }, ...(await orNotFound(context.caller.alerts.speedToLead({ clientId: c.id, from }))) }))),
  ]);
  return {
    alerts: alerts.items,
    nextCursor: alerts.nextCursor,
    speed,
    speedCapped: !clientId && clients.filter((c) => c.status === "active").length > SPEED_CLIENTS,
    clients: clients.map((c) => ({ id: c.id, name: c.name, timezone: c.timezone })),
    filters: { status, clientId },
    viewerZone: context.user?.timeZone ?? viewerZone(request),
  };
}

// eslint-disable-next-line max-lines-per-function -- a page's markup, top to bottom; its data and rules come from the loader, the action and shared components
export default function AgencyAlerts() {
  const { alerts, nextCursor, speed, speedCapped, clients, filters, viewerZone: tz } = useLoaderData<typeof loader>();
  const names = Object.fromEntries(clients.map((c) => [c.id, c.name]));
  const failures = alerts.filter((a) => a.status === "failed" || a.status === "undelivered").length;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="subtitle">Every SMS sent to sales reps about qualified leads. Problems come first, each with the reason Twilio gave.</p>
        </div>
      </div>

      <section className="card" aria-labelledby="speed-heading">
        <h2 id="speed-heading" className="card-title">
          Speed to lead, last {WINDOW_DAYS} days
        </h2>
        <p className="muted small">Time from a lead arriving to its first alert handed to Twilio (sent) and reaching a phone (delivered); median (p50) and the slowest tenth (p90).</p>
        {speed.length === 0 ? (
          <EmptyState title="No active clients" />
        ) : (
          <div className="table-wrap">
            <table className="speed-table phone-cards">
              <thead>
                <tr>
                  <th scope="col">Client</th>
                  <th scope="col" className="num">
                    Leads
                  </th>
                  <th scope="col" className="num">
                    Alerted
                  </th>
                  <th scope="col" className="num">
                    Sent p50
                  </th>
                  <th scope="col" className="num">
                    Sent p90
                  </th>
                  <th scope="col" className="num">
                    Delivered p50
                  </th>
                  <th scope="col" className="num">
                    Delivered p90
                  </th>
                </tr>
              </thead>
              <tbody>
                {speed.map((s) => (
                  <tr key={s.client.id}>
                    <td className="stack-head">
                      <Link to={`/agency/clients/${s.client.id}/alerts`}>{s.client.name}</Link>
                    </td>
                    <td className="num" data-label="Leads">
                      {s.leads}
                    </td>
                    <td className="num" data-label="Alerted">
                      {s.sentLeads}
                    </td>
                    <td className="num nowrap" data-label="Sent p50">
                      {duration(s.sentP50Seconds)}
                    </td>
                    <td className="num nowrap" data-label="Sent p90">
                      {duration(s.sentP90Seconds)}
                    </td>
                    <td className="num nowrap" data-label="Delivered p50">
                      {duration(s.deliveredP50Seconds)}
                    </td>
                    <td className="num nowrap" data-label="Delivered p90">
                      {duration(s.deliveredP90Seconds)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {speedCapped ? <p className="muted small table-note">Showing the first {SPEED_CLIENTS} active clients; pick a client below to see its figures.</p> : null}
      </section>

      <section className="card" aria-labelledby="log-heading">
        <div className="card-head">
          <h2 id="log-heading" className="card-title">
            Alert log {failures ? <span className="badge bad">{failures} failed</span> : null}
          </h2>
          <AlertFilters clients={clients} />
        </div>
        <AlertStatusList
          alerts={alerts}
          timezone={tz}
          clientNames={names}
          leadHref={(id) => `/agency/leads/${id}`}
          emptyTitle={filters.status || filters.clientId ? "No alerts match these filters" : "No alerts yet"}
          caption="Alert log"
        />
        <DisputePager nextCursor={nextCursor} label="More alerts →" />
        <p className="muted small table-note">100 alerts a page, problems first; times in your time zone ({tz}), each with its zone.</p>
      </section>
    </>
  );
}

function AlertFilters(props: { clients: { id: string; name: string }[] }) {
  const [params] = useSearchParams();
  return (
    <Form method="get" className="inline" role="search" aria-label="Filter alerts">
      <ClientSelect clients={props.clients} defaultValue={params.get("clientId") ?? ""} />
      <label>
        Status
        <select name="status" defaultValue={params.get("status") ?? ""}>
          <option value="">Any</option>
          {STATUSES.map(([s, label]) => (
            <option key={s} value={s}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="secondary">
        Filter
      </button>
      {params.get("clientId") || params.get("status") ? <Link to="/agency/alerts">Clear</Link> : null}
    </Form>
  );
}
