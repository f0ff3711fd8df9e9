import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { AppShell, ErrorContent } from "~/components/layout";
import { DisabledEndpointsBanner } from "~/components/webhooks";
import { requireAgency } from "~/lib/guards.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireAgency(context, request);
  return {
    user: { email: user.email, role: user.role },
    agencyName: context.agencyName,
    disabled: await context.caller.webhooks.disabled({}),
  };
}

function agencyNav(role: string) {
  return [
    { to: "/agency", label: "Dashboard", end: true },
    { to: "/agency/clients", label: "Clients" },
    { to: "/agency/leads", label: "Leads" },
    { to: "/agency/disputes", label: "Disputes" },
    { to: "/agency/reports", label: "Reports" },
    { to: "/agency/alerts", label: "Alerts" },
    ...(role === "agency_admin" ? [{ to: "/agency/audit", label: "Audit log" }] : []),
  ];
}

export default function AgencyLayout() {
  const { user, agencyName, disabled } = useLoaderData<typeof loader>();
  return (
    <AppShell area={`Agency console · ${agencyName}`} user={user} accountHref="/agency/account" nav={agencyNav(user.role)}>
      <DisabledEndpointsBanner endpoints={disabled} href={(clientId) => `/agency/clients/${clientId}/webhooks`} />
      <Outlet />
    </AppShell>
  );
}

/** A 404 or 403 from a console page shows inside the console's frame (menu and sign-out kept). */
export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>("routes/agency");
  if (!data) return <ErrorContent />;
  return (
    <AppShell area={`Agency console · ${data.agencyName}`} user={data.user} nav={agencyNav(data.user.role)}>
      <ErrorContent home="/agency" />
    </AppShell>
  );
}
