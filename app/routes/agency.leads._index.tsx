import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { LeadFilters, LeadListTabs, LeadsTable, NoLeads, Pager } from "~/components/leads";
import { requireAgency } from "~/lib/guards.server";
import { leadFilterInput } from "~/lib/lead-filters";

export const meta: MetaFunction = () => [{ title: "Leads · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const url = new URL(request.url);
  const [page, clients] = await Promise.all([context.caller.leads.list(leadFilterInput(url)), context.caller.clients.list()]);
  return { page, clients: clients.map((c) => ({ id: c.id, name: c.name })) };
}

export default function AgencyLeads() {
  const { page, clients } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Leads</h1>
          <p className="subtitle">All clients' leads as they arrive, with their verdicts.</p>
        </div>
      </div>
      <LeadListTabs />
      <div className="card">
        <LeadFilters clients={clients} />
      </div>
      <LeadsTable
        leads={page.items}
        showClient
        hrefFor={(id) => `/agency/leads/${id}`}
        empty={<NoLeads filtered={[...params.keys()].some((k) => k !== "test")}>Publish a contract and add a form or tracking number to a client; leads show up here.</NoLeads>}
      />
      <Pager nextCursor={page.nextCursor} />
    </>
  );
}
