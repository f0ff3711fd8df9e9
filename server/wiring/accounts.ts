import { auditLog } from "../db/repositories/audit";
import { authRepository } from "../db/repositories/auth";
import { clientRepository } from "../db/repositories/clients";
import { userRepository } from "../db/repositories/users";
import { login } from "../domain/auth/login";
import type { Actor } from "../domain/auth/roles";
import { logout, purgeExpiredSessions, resolveSession } from "../domain/auth/session";
import { createClient, getClient, listClients, updateClient, type ClientDeps } from "../domain/clients/clients";
import type { CreateClientInput, UpdateClientInput } from "../domain/clients/inputs";
import type { CreateUserInput } from "../domain/users/inputs";
import { createUser, listUsers } from "../domain/users/users";
import { tokenService as tokens } from "../security/crypto";
import { withTransaction, type Wiring } from "./context";

/** Sign-in and sessions, clients, users. */
export function accountUseCases({ config, db, clock, hasher }: Wiring) {
  const authRepo = authRepository(db);
  const clientsDeps: ClientDeps = withTransaction(db, (conn) => ({ clients: clientRepository(conn), audit: auditLog(conn) }));
  const userDeps = () => ({ users: userRepository(db), clients: clientRepository(db), hasher, audit: auditLog(db) });
  return {
    auth: {
      login: (input: { email: string; password: string; ip: string | null; userAgent: string | null }) =>
        login({ repo: authRepo, hasher, tokens, clock, sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000 }, input),
      resolveSession: (token: string | null | undefined) => resolveSession({ repo: authRepo, tokens, clock }, token),
      logout: (token: string | null | undefined) => logout({ repo: authRepo, tokens, clock }, token),
      revokeUserSessions: (userId: string) => authRepo.revokeUserSessions(userId, clock.now()),
      /** The hourly housekeeping job. */
      purgeExpired: () => purgeExpiredSessions({ repo: authRepo, clock }),
    },
    clients: {
      create: (actor: Actor, input: CreateClientInput) => createClient(clientsDeps, actor, input),
      list: (actor: Actor) => listClients(clientsDeps, actor),
      get: (actor: Actor, id: string) => getClient(clientsDeps, actor, id),
      update: (actor: Actor, input: UpdateClientInput) => updateClient(clientsDeps, actor, input),
    },
    users: {
      create: (actor: Actor, input: CreateUserInput) => createUser(userDeps(), actor, input),
      list: (actor: Actor, clientId?: string | null) => listUsers(userDeps(), actor, clientId),
    },
  };
}
