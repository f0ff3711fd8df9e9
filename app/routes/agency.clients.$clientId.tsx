import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { idParam } from "~/components/setup";
import { orNotFound, requireAgency } from "~/lib/guards.server";

/**
 * A client's hub in the agency console: the header and the sub-navigation for its people,
 * contract, campaigns & forms, API keys and tracking numbers (each a child route).
 */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.client.name ?? "Client"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const id = idParam(params.clientId, "client");
  const client = await orNotFound(context.caller.clients.get({ id }));
  return { client };
}

const SECTIONS = [
  { to: "", label: "Overview", end: true },
  { to: "contract", label: "Contract" },
  { to: "campaigns", label: "Campaigns & forms" },
  { to: "keys", label: "API keys" },
  { to: "numbers", label: "Tracking numbers" },
  { to: "attribution", label: "Attribution" },
  { to: "billing", label: "Billing" },
  { to: "alerts", label: "Alerts" },
  { to: "webhooks", label: "Webhooks & e-mail" },
];

export default function AgencyClient() {
  const { client } = useLoaderData<typeof loader>();
  const base = `/agency/clients/${client.id}`;
  return (
    <>
      <p className="muted">
        <Link to="/agency/clients">← Clients</Link>
      </p>
      <div className="page-head client-head">
        <div>
          <h1>{client.name}</h1>
          <p className="subtitle">
            {client.timezone} · {client.currency} · <span className={`badge ${client.status === "active" ? "ok" : "warn"}`}>{client.status}</span>
          </p>
        </div>
      </div>
      <nav className="subnav" aria-label={`${client.name} sections`}>
        {SECTIONS.map((s) => (
          <NavLink key={s.label} to={s.to ? `${base}/${s.to}` : base} end={s.end} prefetch="intent" className={({ isActive }) => (isActive ? "active" : undefined)}>
            {s.label}
          </NavLink>
        ))}
      </nav>
      <div className="client-hub">
        <Outlet />
      </div>
    </>
  );
}
