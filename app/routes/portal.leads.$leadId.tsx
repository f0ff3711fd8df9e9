import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LeadDetail } from "~/components/lead-detail";
import { orNotFound, requireClientUser } from "~/lib/guards.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.lead.name ?? "Lead"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireClientUser(context, request);
  const lead = await orNotFound(context.caller.leads.get({ id: params.leadId ?? "" }));
  return { lead };
}

export default function PortalLead() {
  const { lead } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="muted">
        <Link to="/portal/leads">← Leads</Link>
      </p>
      <LeadDetail lead={lead} />
    </>
  );
}
