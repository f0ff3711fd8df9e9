import type { ActionFunctionArgs } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { idParam } from "~/components/setup";
import { formFailure, requireAgency } from "~/lib/guards.server";

/**
 * POST /agency/clients/:clientId/conversions.csv (platform, from, to, again) — the Attribution tab's
 * "Download file": a conversion file for Google Ads, Microsoft Ads or a CSV of won leads. What it
 * contains is recorded as exported (decision 022); a bad range is a 400 in words.
 */
export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const form = await request.formData();
  const text = (k: string) => String(form.get(k) ?? "");
  const platform = text("platform");
  try {
    const file = await context.caller.attribution.exportConversions({
      clientId,
      platform: (["google", "microsoft", "csv"].includes(platform) ? platform : "") as "google",
      from: text("from"),
      to: text("to"),
      again: form.get("again") === "on",
    });
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "no-store",
        "X-Conversions": String(file.count),
        "X-Conversions-Exported-Before": String(file.reexported),
      },
    });
  } catch (e) {
    if (!(e instanceof TRPCError) || e.code !== "BAD_REQUEST") throw e;
    const f = formFailure(e);
    const issues = Object.entries(f.fieldErrors).map(([field, message]) => `${field} ${message}`);
    return new Response(`No file: ${f.message}${issues.length ? ` (${issues.join("; ")})` : ""}. Go back and pick the platform and the dates again.\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}
