export const ROLES = ["agency_admin", "agency_staff", "client_admin", "client_member"] as const;
export type Role = (typeof ROLES)[number];
export const AGENCY_ROLES: readonly Role[] = ["agency_admin", "agency_staff"];
export const CLIENT_ROLES: readonly Role[] = ["client_admin", "client_member"];

/** Who is acting. Client roles always carry their clientId; agency roles never do. */
export type Actor =
  | { kind: "agency"; userId: string; email: string; role: "agency_admin" | "agency_staff" }
  | { kind: "client"; userId: string; email: string; role: "client_admin" | "client_member"; clientId: string }
  | { kind: "system"; label: string }
  /** A client's API key (intake, conversions): confined to its client like a client user. */
  | { kind: "api_key"; apiKeyId: string; clientId: string };

export function isAgencyRole(role: Role): role is "agency_admin" | "agency_staff" {
  return role === "agency_admin" || role === "agency_staff";
}

export function actorLabel(actor: Actor): string {
  if (actor.kind === "system") return `system:${actor.label}`;
  if (actor.kind === "api_key") return `api_key:${actor.apiKeyId}`;
  return actor.email;
}

/** The user behind the actor; null for the system and API keys. */
export function actorId(actor: Actor): string | null {
  return actor.kind === "system" || actor.kind === "api_key" ? null : actor.userId;
}

export function actorFromUser(user: { id: string; email: string; role: Role; clientId: string | null }): Actor {
  if (isAgencyRole(user.role)) return { kind: "agency", userId: user.id, email: user.email, role: user.role };
  if (!user.clientId) throw new Error(`client user ${user.id} has no client`);
  return { kind: "client", userId: user.id, email: user.email, role: user.role, clientId: user.clientId };
}
