import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { RecipientsManager } from "~/components/alert-recipients";
import { loadRecipients, recipientsAction } from "~/components/alert-recipients.server";
import { AlertStatusList } from "~/components/alert-status";
import { idParam } from "~/components/setup";
import { orNotFound, requireAgency } from "~/lib/guards.server";

/** A client's lead alerts in the agency console: the same recipients management the client's admins have, plus its recent alerts. */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Alerts · ${d?.client.name ?? "Client"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const client = await orNotFound(context.caller.clients.get({ id: clientId }));
  const [page, alerts] = await Promise.all([loadRecipients(context, request, clientId), orNotFound(context.caller.alerts.list({ clientId, limit: 20 }))]);
  return { ...page, alerts, client };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  return recipientsAction(context, await request.formData(), clientId);
}

export default function ClientAlerts() {
  const { recipients, settings, toRemove, publicUrl, alerts, client } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <RecipientsManager
        recipients={recipients}
        settings={settings}
        canManage
        timezone={client.timezone}
        publicUrl={publicUrl}
        result={result}
        busy={busy}
        toRemove={toRemove}
        cancelTo={useLocation().pathname}
      />
      <section className="card" aria-labelledby="recent-alerts-heading">
        <div className="card-head">
          <h2 id="recent-alerts-heading" className="card-title">
            Recent alerts
          </h2>
          <Link to={`/agency/alerts?clientId=${client.id}`}>All of {client.name}'s alerts →</Link>
        </div>
        <AlertStatusList alerts={alerts} timezone={client.timezone} leadHref={(id) => `/agency/leads/${id}`} caption="Recent alerts" />
      </section>
    </>
  );
}
