import type { Clock } from "../shared/clock";
import type { DispatchStore } from "./ports";
import { planAlerts } from "./routing";

export const LEAD_QUALIFIED = "lead.qualified";

export type DispatchOutcome =
  /** Alert rows created; `pendingAlertIds` are the new ones to send (enqueue after commit). */
  | { kind: "dispatched"; pendingAlertIds: string[]; skipped: number }
  /** Processed already, another worker holds it right now, or not a lead.qualified event. */
  | { kind: "not_claimed" }
  /** The event was consumed without alerts (e.g. the lead is no longer qualified); `note` says why. */
  | { kind: "ignored"; note: string };

/**
 * Turns one committed `lead.qualified` outbox event into alert rows, in one transaction: claim
 * the event (a row lock, skipping one another worker holds), choose recipients, insert one alert
 * per recipient (`on conflict (lead_id, recipient_id) do nothing`, so a re-run adds nothing),
 * move the round-robin cursor, mark the event processed. Only committed events exist to be
 * claimed, so a lead that was rolled back never alerts anyone.
 */
export async function dispatchLeadQualified(deps: { store: DispatchStore; clock: Clock; publicUrl: string }, eventId: number): Promise<DispatchOutcome> {
  return deps.store.transaction(async (tx) => {
    const event = await tx.claimEvent(eventId, LEAD_QUALIFIED);
    if (!event) return { kind: "not_claimed" };
    const now = deps.clock.now();
    const lead = await tx.findLead(event.aggregateId);
    if (!lead || lead.status !== "qualified") {
      const note = lead ? `lead is ${lead.status}, not qualified` : "lead not found";
      await tx.markProcessed(event.id, now, note);
      return { kind: "ignored", note };
    }
    const client = await tx.lockClientRouting(lead.clientId);
    if (!client) {
      await tx.markProcessed(event.id, now, "client not found");
      return { kind: "ignored", note: "client not found" };
    }
    const recipients = await tx.recipients(lead.clientId);
    const plan = planAlerts({ lead, client, recipients, at: now, publicUrl: deps.publicUrl });
    const pendingAlertIds = await tx.insertAlerts(
      plan.alerts.map((a) => ({ ...a, clientId: lead.clientId, leadId: lead.leadId, queuedAt: now })),
    );
    if (plan.nextCursor !== null) await tx.saveCursor(lead.clientId, plan.nextCursor);
    await tx.markProcessed(event.id, now, null);
    return { kind: "dispatched", pendingAlertIds, skipped: plan.alerts.filter((a) => a.status === "skipped").length };
  });
}
