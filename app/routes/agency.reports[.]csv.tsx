import type { LoaderFunctionArgs } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { formFailure, orNotFound, requireAgency } from "~/lib/guards.server";

/** GET /agency/reports.csv?from=YYYY-MM-DD&to=YYYY-MM-DD[&clientId=] — the reports page's rows as a CSV download. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const url = new URL(request.url);
  const input = { from: url.searchParams.get("from") ?? "", to: url.searchParams.get("to") ?? "", clientId: url.searchParams.get("clientId") || undefined };
  try {
    const { filename, csv } = await orNotFound(context.caller.reports.summaryCsv(input));
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (e) {
    if (!(e instanceof TRPCError) || e.code !== "BAD_REQUEST") throw e;
    const issues = Object.entries(formFailure(e).fieldErrors).map(([field, message]) => `${field} ${message}`);
    return new Response(`The report range is not valid${issues.length ? `: ${issues.join("; ")}` : ""}. Use ?from=YYYY-MM-DD&to=YYYY-MM-DD.\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}
