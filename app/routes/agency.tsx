import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { AppShell } from "~/components/layout";
import { DisabledEndpointsBanner } from "~/components/webhooks";
import { requireAgency } from "~/lib/guards.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireAgency(context, request);
  return { user: { email: user.email, role: user.role }, agencyName: context.agencyName, disabled: await context.caller.webhooks.disabled({}) };
}

export default function AgencyLayout() {
  const { user, agencyName, disabled } = useLoaderData<typeof loader>();
  return (
    <AppShell area={`Agency console · ${agencyName}`} user={user} accountHref="/agency/account" nav={[
        { to: "/agency", label: "Dashboard", end: true },
        { to: "/agency/clients", label: "Clients" },
        { to: "/agency/leads", label: "Leads" },
        { to: "/agency/disputes", label: "Disputes" },
        { to: "/agency/reports", label: "Reports" },
        { to: "/agency/alerts", label: "Alerts" },
        ...(user.role === "agency_admin" ? [{ to: "/agency/audit", label: "Audit log" }] : []),
      ]}>
      <DisabledEndpointsBanner endpoints={disabled} href={(clientId) => `/agency/clients/${clientId}/webhooks`} />
      <Outlet />
    </AppShell>
  );
}
