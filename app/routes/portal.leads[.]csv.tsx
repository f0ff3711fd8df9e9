import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireClientUser } from "~/lib/guards.server";
import { leadsCsvResponse } from "~/lib/lead-pages.server";

/** GET /portal/leads.csv?<filters> — the client's leads the inbox's filters match, as CSV. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireClientUser(context, request);
  return leadsCsvResponse(context, request);
}
