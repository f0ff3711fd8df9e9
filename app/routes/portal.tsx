import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { AppShell } from "~/components/layout";
import { DisabledEndpointsBanner } from "~/components/webhooks";
import { orNotFound, requireClientUser } from "~/lib/guards.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  const [client, disabled] = await Promise.all([orNotFound(context.caller.clients.get({ id: user.clientId })), context.caller.webhooks.disabled({})]);
  return { user: { email: user.email, role: user.role }, clientName: client.name, disabled };
}

export default function PortalLayout() {
  const { user, clientName, disabled } = useLoaderData<typeof loader>();
  return (
    <AppShell area={clientName} user={user} nav={[
        { to: "/portal", label: "Overview", end: true },
        { to: "/portal/leads", label: "Leads" },
        { to: "/portal/disputes", label: "Disputes" },
        { to: "/portal/contract", label: "Contract" },
        { to: "/portal/invoices", label: "Invoices" },
        { to: "/portal/alerts", label: "Alerts" },
        { to: "/portal/team", label: "Team" },
        ...(user.role === "client_admin" ? [{ to: "/portal/webhooks", label: "Webhooks & e-mail" }] : []),
      ]}>
      <DisabledEndpointsBanner endpoints={disabled} href={() => "/portal/webhooks"} />
      <Outlet />
    </AppShell>
  );
}
