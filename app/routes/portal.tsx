import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { AppShell, ErrorContent } from "~/components/layout";
import { DisabledEndpointsBanner } from "~/components/webhooks";
import { orNotFound, requireClientUser } from "~/lib/guards.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  const [client, disabled] = await Promise.all([orNotFound(context.caller.clients.get({ id: user.clientId })), context.caller.webhooks.disabled({})]);
  return {
    user: { email: user.email, role: user.role },
    clientName: client.name,
    disabled,
  };
}

function portalNav(role: string) {
  return [
    { to: "/portal", label: "Overview", end: true },
    { to: "/portal/leads", label: "Leads" },
    { to: "/portal/disputes", label: "Disputes" },
    { to: "/portal/contract", label: "Contract" },
    { to: "/portal/invoices", label: "Invoices" },
    { to: "/portal/reports", label: "Reports" },
    { to: "/portal/alerts", label: "Alerts" },
    { to: "/portal/team", label: "Team" },
    ...(role === "client_admin" ? [{ to: "/portal/webhooks", label: "Webhooks & e-mail" }] : []),
  ];
}

export default function PortalLayout() {
  const { user, clientName, disabled } = useLoaderData<typeof loader>();
  return (
    <AppShell area={clientName} user={user} nav={portalNav(user.role)}>
      <DisabledEndpointsBanner endpoints={disabled} href={() => "/portal/webhooks"} />
      <Outlet />
    </AppShell>
  );
}

/** A 404 or 403 from a portal page shows inside the portal's frame (menu and sign-out kept). */
export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>("routes/portal");
  if (!data) return <ErrorContent />;
  return (
    <AppShell area={data.clientName} user={data.user} nav={portalNav(data.user.role)}>
      <ErrorContent home="/portal" />
    </AppShell>
  );
}
