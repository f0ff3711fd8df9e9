import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { BulkOutcomeBar, LeadFilters, LeadListTabs, LeadsCsvLink, LeadsTable, NoLeads, Pager } from "~/components/leads";
import { requireAgency } from "~/lib/guards.server";
import { isFiltered, leadFilterInput } from "~/lib/lead-filters";
import { bulkOutcomeAction } from "~/lib/lead-pages.server";

export const meta: MetaFunction = () => [{ title: "Leads · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const url = new URL(request.url);
  const input = leadFilterInput(url);
  const [page, clients, campaigns] = await Promise.all([
    context.caller.leads.list(input),
    context.caller.clients.list(),
    // The campaign filter needs one client: its campaigns (shown when it has more than one).
    input.clientId ? context.caller.campaigns.list({ clientId: input.clientId }).catch(() => []) : Promise.resolve([]),
  ]);
  return { page, clients: clients.map((c) => ({ id: c.id, name: c.name })), campaigns: campaigns.map((c) => ({ id: c.id, name: c.name })) };
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireAgency(context, request);
  return bulkOutcomeAction(context, await request.formData());
}

export default function AgencyLeads() {
  const { page, clients, campaigns } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const test = params.get("test") === "1";
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Leads</h1>
          <p className="subtitle">All clients' leads as they arrive, with their verdicts. Times are each client's own.</p>
        </div>
        <LeadsCsvLink base="/agency/leads" />
      </div>
      <LeadListTabs />
      <div className="card">
        <LeadFilters clients={clients} campaigns={campaigns} />
      </div>
      <LeadsTable
        leads={page.items}
        showClient
        selectable={!test}
        hrefFor={(id) => `/agency/leads/${id}`}
        empty={<NoLeads filtered={isFiltered(params)}>Publish a contract and add a form or tracking number to a client; leads show up here.</NoLeads>}
      />
      {!test && page.items.length ? <BulkOutcomeBar result={result ?? null} busy={busy} /> : null}
      <Pager nextCursor={page.nextCursor} />
    </>
  );
}
