import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { LeadFilters, LeadListTabs, LeadsTable, NoLeads, Pager } from "~/components/leads";
import { requireClientUser } from "~/lib/guards.server";
import { leadFilterInput } from "~/lib/lead-filters";

export const meta: MetaFunction = () => [{ title: "Leads · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  const url = new URL(request.url);
  const [page, client] = await Promise.all([context.caller.leads.list(leadFilterInput(url)), context.caller.clients.get({ id: user.clientId })]);
  return { page, timeZone: client.timezone };
}

export default function PortalLeads() {
  const { page, timeZone } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Leads</h1>
          <p className="subtitle">Every lead we delivered, with the reason it was or was not billable. Times in {timeZone}.</p>
        </div>
      </div>
      <LeadListTabs />
      <div className="card">
        <LeadFilters />
      </div>
      <LeadsTable
        leads={page.items}
        hrefFor={(id) => `/portal/leads/${id}`}
        timeZone={timeZone}
        empty={<NoLeads filtered={[...params.keys()].some((k) => k !== "test")}>New leads appear here within seconds of arriving.</NoLeads>}
      />
      <Pager nextCursor={page.nextCursor} />
    </>
  );
}
