import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SourcesReport } from "~/components/sources-report";
import { orNotFound, requireClientUser } from "~/lib/guards.server";
import { sourcesFilter, sourcesReport } from "~/lib/sources-report.server";

export const meta: MetaFunction = () => [{ title: "Where your leads come from · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  const client = await orNotFound(context.caller.clients.get({ id: user.clientId }));
  return sourcesReport(context, sourcesFilter(new URL(request.url), context.now, client.timezone, undefined));
}

export default function PortalSourcesReport() {
  const { filter, query, report, failure } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Where your leads come from</h1>
          <p className="subtitle">Your leads by keyword, source, medium, ad campaign or ad, with what they cost and what they brought in.</p>
        </div>
      </div>
      <SourcesReport report={report} filter={filter} failure={failure} csvHref={`/portal/reports.csv?${query}`} showClient={false} />
    </>
  );
}
