import type { AppLoadContext } from "@remix-run/node";
import { periodRange, type InvoiceDetailView, type LeadNames } from "./invoice";

/**
 * Names for the leads behind an invoice's multi-lead lines, so the page can list "Ann Archer ·
 * Oct 10" instead of bare ids: the qualified leads of each line's campaign received in the
 * invoice's month (client time zone), at most 400 per campaign. A lead not found that way (one
 * from an earlier month, billed late) keeps a numbered label.
 */
export async function invoiceLeadNames(context: AppLoadContext, invoice: InvoiceDetailView & { clientId: string }, timezone: string, agency: boolean): Promise<LeadNames> {
  const wanted = new Set(invoice.lines.filter((l) => l.leadIds.length > 1).flatMap((l) => l.leadIds));
  if (wanted.size === 0) return {};
  const campaigns = [...new Set(invoice.lines.filter((l) => l.leadIds.length > 1 && l.campaignId).map((l) => l.campaignId!))];
  const { from, to } = periodRange(invoice.period, timezone);
  const names: LeadNames = {};
  await Promise.all(
    campaigns.map(async (campaignId) => {
      let cursor: string | undefined;
      for (let page = 0; page < 4; page++) {
        const r = await context.caller.leads.list({ clientId: agency ? invoice.clientId : undefined, campaignId, status: "qualified", from, to, cursor, limit: 100 });
        for (const l of r.items) if (wanted.has(l.id)) names[l.id] = { name: l.name, receivedAt: l.receivedAt };
        if (!r.nextCursor) break;
        cursor = r.nextCursor;
      }
    }),
  );
  return names;
}
