import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { idParam } from "~/components/setup";
import { WebhooksManager } from "~/components/webhooks";
import { loadWebhooksPage, webhooksAction } from "~/components/webhooks.server";
import { orNotFound, requireAgency } from "~/lib/guards.server";

/** A client's webhooks and e-mail notifications in the agency console: the same page its admins have. */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Webhooks & e-mail · ${d?.client.name ?? "Client"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const client = await orNotFound(context.caller.clients.get({ id: clientId }));
  const page = await orNotFound(loadWebhooksPage(context, request, clientId));
  return { ...page, client, timezone: client.timezone };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  return webhooksAction(context, await request.formData(), idParam(params.clientId, "client"));
}

export default function ClientWebhooks() {
  const { client: _client, ...data } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return <WebhooksManager {...data} result={result} busy={busy} leadHref={(id) => `/agency/leads/${id}`} />;
}
