import type { Clock } from "../shared/clock";
import type { DispatchStore } from "./ports";
import type { RepLinkTokens } from "./rep-links";
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
export interface DispatchDeps {
  store: DispatchStore;
  clock: Clock;
  publicUrl: string;
  /** Rep link tokens (decision 024) and how long a link works. */
  repLinks: RepLinkTokens;
  repLinkTtlHours: number;
}

export async function dispatchLeadQualified(deps: DispatchDeps, eventId: number): Promise<DispatchOutcome> {
  return deps.store.transaction(async (tx) => {
    const ctx = await tx.load(eventId, LEAD_QUALIFIED);
    if (!ctx) return { kind: "not_claimed" };
    const now = deps.clock.now();
    const { event, lead, client } = ctx;
    const unusable = !lead ? "lead not found" : lead.status !== "qualified" ? `lead is ${lead.status}, not qualified` : !client ? "client not found" : null;
    if (unusable || !lead || !client) {
      await tx.record({ eventId: event.id, alerts: [], cursor: null, at: now, note: unusable });
      return { kind: "ignored", note: unusable ?? "" };
    }
    // Only round robin needs the client's row lock (a strict rotation); `everyone` runs in parallel.
    const cursor = client.routing === "round_robin" ? await tx.lockRoundRobinCursor(lead.clientId) : client.roundRobinCursor;
    const plan = planAlerts({ lead, client: { ...client, roundRobinCursor: cursor }, recipients: ctx.recipients, at: now, publicUrl: deps.publicUrl, newLinkToken: deps.repLinks.newToken });
    const expiresAt = new Date(now.getTime() + deps.repLinkTtlHours * 3_600_000);
    const pendingAlertIds = await tx.record({
      eventId: event.id,
      alerts: plan.alerts.map(({ linkToken, ...a }) => ({
        ...a,
        clientId: lead.clientId,
        leadId: lead.leadId,
        queuedAt: now,
        link: a.status === "pending" ? { tokenHash: deps.repLinks.hashToken(linkToken), expiresAt } : null,
      })),
      cursor: plan.nextCursor !== null ? { clientId: lead.clientId, value: plan.nextCursor } : null,
      at: now,
      note: null,
    });
    return { kind: "dispatched", pendingAlertIds, skipped: plan.alerts.filter((a) => a.status === "skipped").length };
  });
}
