import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { LeadDisputesPanel } from "~/components/dispute";
import { disputesOfLead, disputeSummary } from "~/components/dispute-actions.server";
import { LeadDetail } from "~/components/lead-detail";
import { RepLinks } from "~/components/rep-links";
import { LeadDeliveries } from "~/components/webhooks";
import { field, formAction, intent } from "~/lib/form-action.server";
import { orNotFound, requireAgency } from "~/lib/guards.server";
import { z } from "zod";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.lead.name ?? "Lead"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const [lead, explain] = await Promise.all([
    orNotFound(context.caller.leads.get({ id: params.leadId ?? "" })),
    orNotFound(context.caller.leads.explain({ id: params.leadId ?? "" })),
  ]);
  const [disputes, alerts, deliveries, repLinks] = await Promise.all([
    disputesOfLead(context.caller, lead, true),
    context.caller.alerts.list({ leadId: lead.id, limit: 50 }),
    context.caller.webhooks.deliveries({ leadId: lead.id, limit: 20 }),
    context.caller.alerts.repLinks({ leadId: lead.id }),
  ]);
  return { lead, alerts, deliveries, repLinks, replayAgrees: explain.agree, disputes: disputes.map(disputeSummary), now: context.now.toISOString() };
}

const linksForm = () => z.discriminatedUnion("intent", [intent("revoke-link", { id: field.trimmed }), intent("revoke-all-links", {})]);

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const lead = await orNotFound(context.caller.leads.get({ id: params.leadId ?? "" }));
  return formAction(await request.formData(), linksForm(), async (input) => {
    if (input.intent === "revoke-all-links") {
      const r = await context.caller.alerts.revokeLeadRepLinks({ leadId: lead.id });
      return { ok: true as const, intent: input.intent, message: r.revoked ? `Revoked ${r.revoked} link${r.revoked === 1 ? "" : "s"}: they show "withdrawn" from now on.` : "Every link of this lead was revoked already." };
    }
    const own = (await context.caller.alerts.repLinks({ leadId: lead.id })).find((l) => l.id === input.id);
    if (!own) throw new Response("No such link for this lead.", { status: 404 });
    const r = await context.caller.alerts.revokeRepLink({ id: own.id });
    return { ok: true as const, intent: input.intent, message: r.changed ? `${r.recipientName}'s link is revoked.` : `${r.recipientName}'s link was revoked already.` };
  });
}

export default function AgencyLead() {
  const { lead, alerts, deliveries, repLinks, replayAgrees, disputes, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <p className="muted">
        <Link to="/agency/leads">← Leads</Link> · {lead.clientName}
      </p>
      <LeadDetail lead={lead} alerts={alerts}>
        {lead.verdict ? (
          <div className={`alert ${replayAgrees ? "success" : "error"}`} role="status">
            {replayAgrees
              ? "Replaying this verdict against the recorded contract version gives the same result."
              : "Replaying this verdict against the recorded contract version gives a different result — investigate."}
          </div>
        ) : null}
        <LeadDisputesPanel disputes={disputes} timeZone={lead.clientTimezone} now={now} hrefFor={(id) => `/agency/disputes/${id}`} />
      </LeadDetail>
      <RepLinks links={repLinks} timeZone={lead.clientTimezone} result={result} busy={busy} />
      <LeadDeliveries deliveries={deliveries} manageHref={`/agency/clients/${lead.clientId}/webhooks`} />
    </>
  );
}
