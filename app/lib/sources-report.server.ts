import type { AppLoadContext } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { calendarDate } from "./format";
import { formFailure, orNotFound } from "./guards.server";


/** The agency's report pages: the clients to pick from, the chosen one, and the time zone its default dates are read in (the chosen or first client's). */
export async function agencyReportScope(context: AppLoadContext, url: URL) {
  const clients = (await context.caller.clients.list()).map((c) => ({ id: c.id, name: c.name, timezone: c.timezone }));
  const clientId = url.searchParams.get("clientId") || undefined;
  const tz = clients.find((c) => c.id === clientId)?.timezone ?? clients[0]?.timezone ?? "UTC";
  return { clients, clientId, tz };
}

const DIMENSIONS = ["source", "medium", "campaign", "keyword", "content"] as const;

/** The "where leads come from" report's filter from the query string; the default range is this month to date in `timezone`. */
export function sourcesFilter(url: URL, now: Date, timezone: string, clientId: string | undefined) {
  const today = calendarDate(now, timezone);
  const d = url.searchParams.get("dimension");
  return {
    from: url.searchParams.get("from") || `${today.slice(0, 8)}01`,
    to: url.searchParams.get("to") || today,
    dimension: (DIMENSIONS as readonly string[]).includes(d ?? "") ? (d as (typeof DIMENSIONS)[number]) : ("keyword" as const),
    ...(clientId ? { clientId } : {}),
  };
}

export async function sourcesReport(context: AppLoadContext, filter: ReturnType<typeof sourcesFilter>) {
  const query = new URLSearchParams(filter as Record<string, string>).toString();
  try {
    return { filter, query, report: await context.caller.attribution.report(filter), failure: null };
  } catch (e) {
    return { filter, query, report: null, failure: formFailure(e) };
  }
}

/** The report as a CSV download, or a 400 in words for a bad range. */
export async function sourcesCsv(context: AppLoadContext, filter: ReturnType<typeof sourcesFilter>): Promise<Response> {
  try {
    const { filename, csv } = await orNotFound(context.caller.attribution.reportCsv(filter));
    return new Response(csv, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" } });
  } catch (e) {
    if (!(e instanceof TRPCError) || e.code !== "BAD_REQUEST") throw e;
    return new Response("The report range is not valid. Use ?from=YYYY-MM-DD&to=YYYY-MM-DD.\n", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}
