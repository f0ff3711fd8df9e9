import type { AuditLog } from "../audit/audit";
import type { PasswordHasher, UserRecord } from "../auth/ports";
import { actorId, isAgencyRole, type Actor, type Role } from "../auth/roles";
import type { ClientRepository } from "../clients/clients";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import type { Clock } from "../shared/clock";
import { createUserInput, updatePreferencesInput, updateUserInput, type CreateUserInput, type UpdatePreferencesInput, type UpdateUserInput } from "./inputs";
import { canReach, isClientSide, requireAgencyAdmin, requiredClientScope } from "../auth/scope";

/** A user as pages and APIs see it: never the password hash or the two-factor secret. */
export type PublicUser = Omit<UserRecord, "passwordHash" | "totpSecret" | "totpLastStep">;

export interface UserRepository {
  insert(u: { email: string; name: string; passwordHash: string; role: Role; clientId: string | null }): Promise<UserRecord | null /* null: e-mail taken */>;
  listByClient(clientId: string | null): Promise<UserRecord[]>;
  listAll(): Promise<UserRecord[]>;
  /** The user, locked for the rest of the transaction. */
  findForUpdate(id: string): Promise<UserRecord | null>;
  update(id: string, changes: { role?: Role; disabledAt?: Date | null; timeZone?: string | null }): Promise<UserRecord>;
}

/** What updateUser writes in one transaction. */
export interface UserTx {
  users: UserRepository;
  audit: AuditLog;
  /** Signs the user out everywhere; answers how many sessions ended. */
  revokeSessions(userId: string, at: Date): Promise<number>;
}

export interface UserDeps {
  users: UserRepository;
  clients: Pick<ClientRepository, "findById">;
  hasher: PasswordHasher;
  audit: AuditLog;
  clock: Clock;
  transaction<T>(fn: (tx: UserTx) => Promise<T>): Promise<T>;
}

export function toPublicUser(u: UserRecord): PublicUser {
  const { passwordHash: _hash, totpSecret: _secret, totpLastStep: _step, ...rest } = u;
  return rest;
}

/**
 * Agency admins create any user; client admins invite users of their own client only;
 * the CLI (system actor) may create anyone.
 */
export async function createUser(deps: UserDeps, actor: Actor, raw: CreateUserInput): Promise<PublicUser> {
  const input = parseInput(createUserInput, raw);
  let clientId = input.clientId ?? null;
  if (actor.kind === "client") {
    if (actor.role !== "client_admin") throw new DomainError("FORBIDDEN", "Only a client admin can invite users.");
    if (isAgencyRole(input.role)) throw new DomainError("FORBIDDEN", "A client admin can only invite client users.");
    clientId = requiredClientScope(actor, clientId);
  } else {
    requireAgencyAdmin(actor, "Only an agency admin can create users.");
  }
  if (isAgencyRole(input.role)) {
    if (clientId) throw new DomainError("VALIDATION_FAILED", "Agency users do not belong to a client.", { issues: [{ path: ["clientId"], message: "must be empty for agency roles" }] });
  } else {
    if (!clientId) throw new DomainError("VALIDATION_FAILED", "Client users need a client.", { issues: [{ path: ["clientId"], message: "is required for client roles" }] });
    if (!(await deps.clients.findById(clientId))) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  }
  const passwordHash = await deps.hasher.hash(input.password);
  const user = await deps.users.insert({ email: input.email, name: input.name, passwordHash, role: input.role, clientId });
  if (!user) {
    // A client admin learns nothing about other tenants: one neutral answer for any address in use.
    if (actor.kind === "client") {
      throw new DomainError("EMAIL_UNAVAILABLE", "This e-mail address cannot be invited. If the person should have access, ask your agency.", {
        issues: [{ path: ["email"], message: "cannot be invited" }],
      });
    }
    throw new DomainError("EMAIL_TAKEN", "A user with this e-mail already exists.", { issues: [{ path: ["email"], message: "is already in use" }] });
  }
  const pub = toPublicUser(user);
  await deps.audit.record(actor, { clientId, action: "user.created", entityType: "user", entityId: user.id, after: pub });
  return pub;
}

export async function listUsers(deps: Pick<UserDeps, "users">, actor: Actor, clientId?: string | null): Promise<PublicUser[]> {
  if (isClientSide(actor)) return (await deps.users.listByClient(requiredClientScope(actor, clientId))).map(toPublicUser);
  const rows = clientId === undefined ? await deps.users.listAll() : await deps.users.listByClient(clientId);
  return rows.map(toPublicUser);
}

/**
 * Changes a user's role and/or deactivates (or reactivates) them. Agency admins reach every user;
 * a client admin only their own client's (another client's user is "not found", as everywhere);
 * members and agency staff may not. A role stays on its side (agency or client), nobody changes
 * their own role or deactivates themselves, and deactivating ends the user's sessions at once.
 */
export async function updateUser(deps: UserDeps, actor: Actor, raw: UpdateUserInput): Promise<PublicUser> {
  const input = parseInput(updateUserInput, raw);
  if (actor.kind === "client") {
    if (actor.role !== "client_admin") throw new DomainError("FORBIDDEN", "Only a client admin can change users.");
  } else {
    requireAgencyAdmin(actor, "Only an agency admin can change users.");
  }
  return deps.transaction(async (tx) => {
    const user = await tx.users.findForUpdate(input.id);
    if (!user || !canReach(actor, user.clientId ?? "") || (isClientSide(actor) && !user.clientId)) throw new DomainError("NOT_FOUND", "User not found.");
    const self = actorId(actor) === user.id;
    const changes: { role?: Role; disabledAt?: Date | null } = {};
    if (input.role !== undefined && input.role !== user.role) {
      if (self) throw new DomainError("FORBIDDEN", "You cannot change your own role. Ask another admin.");
      if (isAgencyRole(input.role) !== isAgencyRole(user.role)) {
        throw new DomainError("VALIDATION_FAILED", "A role stays on its side: agency users keep agency roles, client users client roles.", { issues: [{ path: ["role"], message: "must be a role of the same side" }] });
      }
      changes.role = input.role;
    }
    if (input.active === false && !user.disabledAt) {
      if (self) throw new DomainError("FORBIDDEN", "You cannot deactivate yourself. Ask another admin.");
      changes.disabledAt = deps.clock.now();
    }
    if (input.active === true && user.disabledAt) changes.disabledAt = null;
    if (Object.keys(changes).length === 0) return toPublicUser(user);
    const updated = await tx.users.update(user.id, changes);
    const sessionsEnded = changes.disabledAt ? await tx.revokeSessions(user.id, changes.disabledAt) : 0;
    await tx.audit.record(actor, {
      clientId: user.clientId,
      action: changes.disabledAt ? "user.deactivated" : changes.disabledAt === null && !changes.role ? "user.reactivated" : "user.updated",
      entityType: "user",
      entityId: user.id,
      before: { role: user.role, disabledAt: user.disabledAt },
      after: { role: updated.role, disabledAt: updated.disabledAt, sessionsEnded },
    });
    return toPublicUser(updated);
  });
}

/** The signed-in agency user's own preferences (the time zone times are shown in). */
export async function updatePreferences(deps: UserDeps, actor: Actor, raw: UpdatePreferencesInput): Promise<PublicUser> {
  if (actor.kind !== "agency") throw new DomainError("FORBIDDEN", "Client users see times in their business's time zone.");
  const input = parseInput(updatePreferencesInput, raw);
  return toPublicUser(await deps.users.update(actor.userId, { timeZone: input.timeZone }));
}
