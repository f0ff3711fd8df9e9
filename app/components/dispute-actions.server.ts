import type { AppLoadContext } from "@remix-run/node";
import { data } from "@remix-run/node";
import type { RouterOutputs } from "~/lib/api";
import type { ActionFailure } from "~/lib/form-action.server";
import { formFailure } from "~/lib/guards.server";
import type { DisputeData } from "./dispute";

/**
 * Server-only helpers shared by the dispute and outcome routes (portal and console): the failure a
 * form shows, with the HTTP status that fits, and the disputes of one lead.
 */

type Caller = AppLoadContext["caller"];

const HTTP: Record<string, number> = { BAD_REQUEST: 400, CONFLICT: 409, UNPROCESSABLE_CONTENT: 422, PRECONDITION_FAILED: 412, TOO_MANY_REQUESTS: 429, PAYLOAD_TOO_LARGE: 413 };

/**
 * A tRPC error from a form's call → what the form shows. Not-found / forbidden become error pages
 * (formFailure throws them). A rule the domain refused (window closed, note missing for "other" …)
 * keeps the domain's own sentence instead of the generic "correct the highlighted fields".
 */
export function actionFailure(e: unknown, intent: string, values: Record<string, string> = {}) {
  const f = formFailure(e);
  const err = e as { code?: string; message?: string; cause?: { code?: unknown; message?: unknown } };
  const fromDomain = typeof err.cause?.code === "string" && typeof err.cause.message === "string";
  const message = fromDomain ? String(err.cause!.message) : f.message;
  return data<ActionFailure>({ ok: false, intent, message, fieldErrors: f.fieldErrors, values }, { status: HTTP[err.code ?? ""] ?? 400 });
}

/** A failure the route found itself (bad amount …), shown like the ones the server reports. */
export function fieldFailure(intent: string, field: string, message: string, values: Record<string, string> = {}) {
  return data<ActionFailure>({ ok: false, intent, message, fieldErrors: { [field]: message }, values }, { status: 400 });
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
export function disputeSummary(d: DisputeItem): DisputeData {
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
