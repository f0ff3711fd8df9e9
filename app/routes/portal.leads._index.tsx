import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { BulkOutcomeBar, LeadFilters, LeadListTabs, LeadsCsvLink, LeadsTable, NoLeads, Pager } from "~/components/leads";
import { requireClientUser } from "~/lib/guards.server";
import { isFiltered, leadFilterInput } from "~/lib/lead-filters";
import { bulkOutcomeAction } from "~/lib/lead-pages.server";

export const meta: MetaFunction = () => [{ title: "Leads · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  const url = new URL(request.url);
  const [page, client, campaigns] = await Promise.all([
    context.caller.leads.list(leadFilterInput(url)),
    context.caller.clients.get({ id: user.clientId }),
    context.caller.campaigns.list({}),
  ]);
  return { page, timeZone: client.timezone, campaigns: campaigns.map((c) => ({ id: c.id, name: c.name })) };
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireClientUser(context, request);
  return bulkOutcomeAction(context, await request.formData());
}

export default function PortalLeads() {
  const { page, timeZone, campaigns } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const test = params.get("test") === "1";
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Leads</h1>
          <p className="subtitle">Every lead we delivered, with the reason it was or was not billable. Times in {timeZone}.</p>
        </div>
        <LeadsCsvLink base="/portal/leads" />
      </div>
      <LeadListTabs />
      <div className="card">
        <LeadFilters campaigns={campaigns} />
      </div>
      <LeadsTable
        leads={page.items}
        hrefFor={(id) => `/portal/leads/${id}`}
        timeZone={timeZone}
        selectable={!test}
        empty={<NoLeads filtered={isFiltered(params)}>New leads appear here within seconds of arriving.</NoLeads>}
      />
      {!test && page.items.length ? <BulkOutcomeBar result={result ?? null} busy={busy} /> : null}
      <Pager nextCursor={page.nextCursor} />
    </>
  );
}
