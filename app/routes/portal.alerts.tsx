import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { RecipientsManager } from "~/components/alert-recipients";
import { loadRecipients, recipientsAction } from "~/components/alert-recipients.server";
import { AlertStatusList } from "~/components/alert-status";
import { orNotFound, requireClientUser } from "~/lib/guards.server";

/**
 * Lead alerts in the client portal: client admins manage the sales reps, routing and message;
 * members see them read-only (and a forged post from a member is refused with 403).
 */

export const meta: MetaFunction = () => [{ title: "Alerts · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  const [client, page, alerts] = await Promise.all([
    orNotFound(context.caller.clients.get({ id: user.clientId })),
    loadRecipients(context, request),
    orNotFound(context.caller.alerts.list({ limit: 20 })),
  ]);
  return { ...page, alerts, timezone: client.timezone, canManage: user.role === "client_admin" };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireClientUser(context, request);
  if (user.role !== "client_admin") throw new Response("Only an admin of your account can change alert recipients.", { status: 403 });
  return recipientsAction(context, await request.formData());
}

export default function PortalAlerts() {
  const { recipients, settings, toRemove, publicUrl, alerts, timezone, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Lead alerts</h1>
          <p className="subtitle">Who on your team is texted about each qualified lead, when, and what the text says.</p>
        </div>
      </div>
      <RecipientsManager
        recipients={recipients}
        settings={settings}
        canManage={canManage}
        timezone={timezone}
        publicUrl={publicUrl}
        result={result}
        busy={busy}
        toRemove={toRemove}
        cancelTo={useLocation().pathname}
      />
      <section className="card" aria-labelledby="recent-alerts-heading">
        <h2 id="recent-alerts-heading" className="card-title">
          Recent alerts
        </h2>
        <p className="muted small">Problems first, then the newest.</p>
        <AlertStatusList alerts={alerts} timezone={timezone} leadHref={(id) => `/portal/leads/${id}`} caption="Recent alerts" />
      </section>
    </>
  );
}
