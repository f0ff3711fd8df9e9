import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAgency } from "~/lib/guards.server";
import { sourcesCsv, sourcesFilter } from "~/lib/sources-report.server";

/** GET /agency/reports/sources.csv?from&to&dimension[&clientId] — the sources report as a CSV download. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const url = new URL(request.url);
  return sourcesCsv(context, sourcesFilter(url, context.now, "UTC", url.searchParams.get("clientId") || undefined));
}
