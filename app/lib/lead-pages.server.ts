import type { AppLoadContext } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import type { BulkOutcomeResult } from "~/components/leads";
import { leadLabel } from "./format";
import { field, formObject, intent } from "./form-action.server";
import { orNotFound } from "./guards.server";
import { leadFilters } from "./lead-filters";

/** What the portal's and the console's leads pages share on the server: the bulk won/lost action and the CSV download. */

const bulkForm = () => intent("bulk-outcome", { leadId: field.list, outcome: field.oneOf(["won", "lost"] as const, null) });

export async function bulkOutcomeAction(context: AppLoadContext, form: FormData): Promise<BulkOutcomeResult> {
  const parsed = bulkForm().safeParse(formObject(form));
  if (!parsed.success || !parsed.data.outcome) throw new Response("Unknown action", { status: 400 });
  const { leadId: leadIds, outcome } = parsed.data;
  if (leadIds.length === 0) return { ok: false, message: "Tick the leads to mark first." };
  try {
    const r = await context.caller.leads.markOutcomes({ leadIds, outcome });
    const skipped = await Promise.all(
      r.skipped.map(async (s) => {
        const lead = await context.caller.leads.get({ id: s.leadId }).catch(() => null);
        return { leadId: s.leadId, label: lead ? leadLabel(lead, lead.clientTimezone) : "A lead", message: s.message };
      }),
    );
    const n = (k: number) => `${k} lead${k === 1 ? "" : "s"}`;
    const parts = [`${n(r.changed.length)} marked ${outcome}`];
    if (r.unchanged.length) parts.push(`${n(r.unchanged.length)} already ${outcome}`);
    if (skipped.length) parts.push(`${n(skipped.length)} not changed`);
    return { ok: true, message: `${parts.join(", ")}.`, skipped };
  } catch (e) {
    if (e instanceof TRPCError && e.code === "BAD_REQUEST") return { ok: false, message: e.message };
    throw e;
  }
}

/** GET <leads page>.csv?<the page's filters>: the matching leads as a download. */
export async function leadsCsvResponse(context: AppLoadContext, request: Request): Promise<Response> {
  try {
    const { filename, csv } = await orNotFound(context.caller.leads.csv(leadFilters(new URL(request.url))));
    return new Response(csv, {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" },
    });
  } catch (e) {
    if (!(e instanceof TRPCError) || e.code !== "BAD_REQUEST") throw e;
    return new Response(`${e.message}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}
