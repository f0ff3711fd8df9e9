import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { InvoiceDocument, InvoiceDownloads, type InvoiceLineView } from "~/components/invoice";
import { invoiceLeadNames } from "~/components/invoice.server";
import { idParam } from "~/components/setup";
import { orNotFound, requireClientUser } from "~/lib/guards.server";

/** One invoice as the client reads it (and prints it); another client's invoice is the 404 page. */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.invoice.displayNumber ?? "Invoice"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  const id = idParam(params.invoiceId, "invoice");
  const [invoice, client] = await Promise.all([orNotFound(context.caller.invoices.get({ id })), orNotFound(context.caller.clients.get({ id: user.clientId }))]);
  return { invoice, timezone: client.timezone, agencyName: context.agencyName, leadNames: await invoiceLeadNames(context, invoice, client.timezone, false) };
}

const links = {
  lead: (id: string) => `/portal/leads/${id}`,
  leadsList: (line: InvoiceLineView) => (line.campaignId ? `/portal/leads?status=qualified&campaignId=${line.campaignId}` : null),
  dispute: (id: string) => `/portal/disputes/${id}`,
};

export default function PortalInvoice() {
  const { invoice, timezone, agencyName, leadNames } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="muted no-print">
        <Link to="/portal/invoices">← Invoices</Link>
      </p>
      <InvoiceDocument
        invoice={invoice}
        timezone={timezone}
        links={links}
        leadNames={leadNames}
        agencyName={agencyName}
        actions={<InvoiceDownloads csvHref={`/portal/invoices/${invoice.id}.csv`} displayNumber={invoice.displayNumber} />}
      />
    </>
  );
}
