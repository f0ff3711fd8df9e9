import { DomainError } from "../errors";
import type { Actor } from "./roles";

/**
 * Authorization in one place: who may do agency work, and which client's rows an actor reaches.
 *
 * - Agency staff and the system (CLI, jobs, seed) reach every client.
 * - A client user and an API key are confined to their own client. Naming another client is
 *   refused as CLIENT_NOT_FOUND (404), the same answer as for a client that does not exist, so a
 *   foreign id tells nobody anything; leaving the client out means their own.
 * - A record of another client looked up by its own id is "not found" for them (see canReach).
 */

export type AgencySideActor = Extract<Actor, { kind: "agency" | "system" }>;

/** Agency staff (either role) or the system; anybody else gets FORBIDDEN with `message`. */
export function requireAgency(actor: Actor, message = "Only agency staff can do this."): asserts actor is AgencySideActor {
  if (actor.kind !== "agency" && actor.kind !== "system") throw new DomainError("FORBIDDEN", message);
}

/** Agency admins or the system; agency staff, client users and API keys get FORBIDDEN with `message`. */
export function requireAgencyAdmin(actor: Actor, message = "Only agency admins can do this."): asserts actor is AgencySideActor {
  requireAgency(actor, message);
  if (actor.kind === "agency" && actor.role !== "agency_admin") throw new DomainError("FORBIDDEN", message);
}

/** Agency staff, the system, or a client's admin: who may change a client's own settings (recipients, webhooks …). */
export function mayManageClient(actor: Actor): boolean {
  return actor.kind === "agency" || actor.kind === "system" || (actor.kind === "client" && actor.role === "client_admin");
}

/** mayManageClient, or FORBIDDEN with `message`. */
export function requireClientAdminOrAgency(actor: Actor, message: string): void {
  if (!mayManageClient(actor)) throw new DomainError("FORBIDDEN", message);
}

/** The client an actor is confined to, or null when it reaches every client (agency, system). */
export function ownClientId(actor: Actor): string | null {
  return actor.kind === "client" || actor.kind === "api_key" ? actor.clientId : null;
}

/** A client user or an API key: sees one client, and only what the agency has released (no drafts). */
export function isClientSide(actor: Actor): actor is Extract<Actor, { kind: "client" | "api_key" }> {
  return ownClientId(actor) !== null;
}

/** Whether the actor may see a record that belongs to `clientId`. */
export function canReach(actor: Actor, clientId: string): boolean {
  const own = ownClientId(actor);
  return own === null || own === clientId;
}

/**
 * The client a request is about. Agency side: the one it names, or undefined (all clients).
 * Client side: always its own; naming another is CLIENT_NOT_FOUND.
 */
export function clientScope(actor: Actor, requested: string | null | undefined): string | undefined {
  const own = ownClientId(actor);
  if (own === null) return requested ?? undefined;
  if (requested && requested !== own) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  return own;
}

/** clientScope for requests about exactly one client: the agency side must name it. */
export function requiredClientScope(actor: Actor, requested: string | null | undefined): string {
  const clientId = clientScope(actor, requested);
  if (!clientId) throw new DomainError("VALIDATION_FAILED", "clientId is required.", { issues: [{ path: ["clientId"], message: "is required" }] });
  return clientId;
}
