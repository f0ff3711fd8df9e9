import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { WebhooksManager } from "~/components/webhooks";
import { loadWebhooksPage, webhooksAction } from "~/components/webhooks.server";
import { orNotFound, requireClientUser } from "~/lib/guards.server";

/**
 * Webhooks & e-mail in the client portal: a client admin connects the company's own CRM (signed
 * webhooks, delivery log, replays, test events) and chooses who gets e-mails. Members are refused.
 */

export const meta: MetaFunction = () => [{ title: "Webhooks & e-mail · LeadLedger" }];

function requireClientAdmin(context: LoaderFunctionArgs["context"], request: Request) {
  const user = requireClientUser(context, request);
  if (user.role !== "client_admin") throw new Response("Only an admin of your account can manage webhooks and e-mail notifications.", { status: 403 });
  return user;
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientAdmin(context, request);
  const [client, page] = await Promise.all([orNotFound(context.caller.clients.get({ id: user.clientId })), orNotFound(loadWebhooksPage(context, request))]);
  return { ...page, timezone: client.timezone };
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireClientAdmin(context, request);
  return webhooksAction(context, await request.formData());
}

export default function PortalWebhooks() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Webhooks &amp; e-mail</h1>
          <p className="subtitle">Every lead into your own systems: signed webhooks to your CRM, and e-mails to your team.</p>
        </div>
      </div>
      <WebhooksManager {...data} result={result} busy={busy} leadHref={(id) => `/portal/leads/${id}`} />
    </>
  );
}
