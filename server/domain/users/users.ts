import type { AuditLog } from "../audit/audit";
import type { PasswordHasher, UserRecord } from "../auth/ports";
import { isAgencyRole, type Actor, type Role } from "../auth/roles";
import type { ClientRepository } from "../clients/clients";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { createUserInput, type CreateUserInput } from "./inputs";
import { isClientSide, requireAgencyAdmin, requiredClientScope } from "../auth/scope";

export type PublicUser = Omit<UserRecord, "passwordHash">;

export interface UserRepository {
  insert(u: { email: string; name: string; passwordHash: string; role: Role; clientId: string | null }): Promise<UserRecord | null /* null: e-mail taken */>;
  listByClient(clientId: string | null): Promise<UserRecord[]>;
  listAll(): Promise<UserRecord[]>;
}

export interface UserDeps {
  users: UserRepository;
  clients: Pick<ClientRepository, "findById">;
  hasher: PasswordHasher;
  audit: AuditLog;
}

export function toPublicUser(u: UserRecord): PublicUser {
  const { passwordHash: _omit, ...rest } = u;
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
