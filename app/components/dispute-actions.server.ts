import type { AppLoadContext } from "@remix-run/node";
import type { RouterOutputs } from "~/lib/api";
import { actionFailure as formActionFailure, fieldFailure as formFieldFailure } from "~/lib/form-action.server";
import type { DisputeData } from "./dispute";

/**
 * Server-only helpers shared by the dispute and outcome routes (portal and console): the failure a
 * form shows, with the HTTP status that fits, and the disputes of one lead.
 */

type Caller = AppLoadContext["caller"];

/**
 * A tRPC error from a form's call → what the form shows. Not-found / forbidden become error pages.
 * A rule the domain refused keeps the domain's own sentence and the status that fits it.
 */
export function actionFailure(e: unknown, intent: string, values: Record<string, string> = {}) {
  return formActionFailure(e, intent, { values, domainMessages: true });
}

/** A field the page itself finds wrong; its message is also the form's summary line. */
export function fieldFailure(intent: string, field: string, message: string, values: Record<string, string> = {}) {
  return formFieldFailure(intent, field, message, values, { summary: message });
}

type DisputeItem = RouterOutputs["disputes"]["list"]["items"][number];

/**
 * The disputes of one lead, newest first. disputes.list has no lead filter, so this narrows by the
 * lead's campaign (and client, for the agency) and pages through; a lead has few disputes and a
 * client few per campaign, so this stays a page or two.
 */
export async function disputesOfLead(caller: Caller, lead: { id: string; clientId: string; campaignId: string }, asAgency: boolean): Promise<DisputeItem[]> {
  const found: DisputeItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const r = await caller.disputes.list({ campaignId: lead.campaignId, clientId: asAgency ? lead.clientId : undefined, limit: 100, cursor });
    found.push(...r.items.filter((d) => d.leadId === lead.id));
    if (!r.nextCursor) break;
    cursor = r.nextCursor;
  }
  return found.sort((a, b) => new Date(b.openedAt).getTime() - new Date(a.openedAt).getTime());
}

/** A dispute as the lead pages pass it to the browser. */
export function disputeSummary(
  d: Pick<DisputeItem, "id" | "reason" | "note" | "status" | "openedAt" | "openedBy" | "dueAt" | "resolutionNote" | "resolvedBy" | "resolvedAt" | "creditCents" | "decision" | "evidence">,
): DisputeData {
  return {
    id: d.id,
    reason: d.reason,
    note: d.note,
    status: d.status,
    openedAt: d.openedAt,
    openedBy: d.openedBy?.email ?? null,
    dueAt: d.dueAt,
    resolutionNote: d.resolutionNote,
    resolvedBy: d.resolvedBy,
    resolvedAt: d.resolvedAt,
    creditCents: d.creditCents,
    credit: d.decision?.credit ?? null,
    evidence: d.evidence,
  };
}
