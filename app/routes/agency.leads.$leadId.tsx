import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LeadDisputesPanel } from "~/components/dispute";
import { disputesOfLead, disputeSummary } from "~/components/dispute-actions.server";
import { LeadDetail } from "~/components/lead-detail";
import { LeadDeliveries } from "~/components/webhooks";
import { orNotFound, requireAgency } from "~/lib/guards.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.lead.name ?? "Lead"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const [lead, explain] = await Promise.all([
    orNotFound(context.caller.leads.get({ id: params.leadId ?? "" })),
    orNotFound(context.caller.leads.explain({ id: params.leadId ?? "" })),
  ]);
  const [disputes, alerts, deliveries] = await Promise.all([
    disputesOfLead(context.caller, lead, true),
    context.caller.alerts.list({ leadId: lead.id, limit: 50 }),
    context.caller.webhooks.deliveries({ leadId: lead.id, limit: 20 }),
  ]);
  return { lead, alerts, deliveries, replayAgrees: explain.agree, disputes: disputes.map(disputeSummary), now: context.now.toISOString() };
}

export default function AgencyLead() {
  const { lead, alerts, deliveries, replayAgrees, disputes, now } = useLoaderData<typeof loader>();
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
      <LeadDeliveries deliveries={deliveries} manageHref={`/agency/clients/${lead.clientId}/webhooks`} />
    </>
  );
}
