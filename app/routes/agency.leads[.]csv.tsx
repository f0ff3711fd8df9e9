import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAgency } from "~/lib/guards.server";
import { leadsCsvResponse } from "~/lib/lead-pages.server";

/** GET /agency/leads.csv?<filters> — every client's (or one client's) leads the inbox's filters match, as CSV. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAgency(context, request);
  return leadsCsvResponse(context, request);
}
