import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireClientUser } from "~/lib/guards.server";
import { sourcesCsv, sourcesFilter } from "~/lib/sources-report.server";

/** GET /portal/reports.csv?from&to&dimension — the client's own sources report as a CSV download. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireClientUser(context, request);
  return sourcesCsv(context, sourcesFilter(new URL(request.url), context.now, "UTC", undefined));
}
