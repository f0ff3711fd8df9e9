import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SourcesReport } from "~/components/sources-report";
import { requireAgency } from "~/lib/guards.server";
import { agencyReportScope, sourcesFilter, sourcesReport } from "~/lib/sources-report.server";

export const meta: MetaFunction = () => [{ title: "Leads by source and keyword · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const url = new URL(request.url);
  const { clients, clientId, tz } = await agencyReportScope(context, url);
  return { clients, ...(await sourcesReport(context, sourcesFilter(url, context.now, tz, clientId))) };
}

export default function AgencySourcesReport() {
  const { clients, filter, query, report, failure } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="muted">
        <Link to="/agency/reports">← Reports by campaign</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>Leads by source and keyword</h1>
          <p className="subtitle">Which keyword, ad or source brought qualified leads, and what each cost. Dates are read in each client's own time zone.</p>
        </div>
      </div>
      <SourcesReport
        report={report}
        filter={filter}
        failure={failure}
        csvHref={`/agency/reports/sources.csv?${query}`}
        showClient
        clientPicker={
          <label>
            Client
            <select name="clientId" defaultValue={filter.clientId ?? ""}>
              <option value="">All clients</option>
              {clients.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        }
      />
    </>
  );
}
