/**
 * The composition root: wires the database, clock, hashing and (later) Twilio into the use cases.
 * Entry points (tRPC, REST, Remix, jobs, CLI) receive `Deps` and call these bound use cases.
 */
import type { Logger } from "pino";
import type { Config } from "./config";
import type { Database, DbOrTx } from "./db/client";
import { auditLog } from "./db/repositories/audit";
import { authRepository } from "./db/repositories/auth";
import { clientRepository } from "./db/repositories/clients";
import { userRepository } from "./db/repositories/users";
import { login } from "./domain/auth/login";
import type { PasswordHasher } from "./domain/auth/ports";
import type { Actor } from "./domain/auth/roles";
import { logout, resolveSession } from "./domain/auth/session";
import { createClient, getClient, listClients, updateClient, type ClientDeps } from "./domain/clients/clients";
import type { CreateClientInput, UpdateClientInput } from "./domain/clients/inputs";
import { systemClock, type Clock } from "./domain/shared/clock";
import type { CreateUserInput } from "./domain/users/inputs";
import { createUser, listUsers } from "./domain/users/users";
import { argon2Hasher, tokenService } from "./security/crypto";
import { intakeStore } from "./db/repositories/intake";
import { intakeSources } from "./db/repositories/intake-sources";
import { submitLead, type SubmitLeadInput } from "./domain/leads/submit-lead";
import { randomUUID } from "node:crypto";
import { twilioRuntime } from "./integrations/twilio/runtime";
import { leadReadRepository } from "./db/repositories/leads";
import { explainLead, getLead, listLeads, type ListLeadsInput } from "./domain/leads/read-leads";

export interface DepsOptions {
  config: Config;
  database: Database;
  logger: Logger;
  clock?: Clock;
  hasher?: PasswordHasher;
  /** Where Twilio SDK requests go when it is not TWILIO_API_BASE (the local fake in demo mode and tests). */
  twilioApiBase?: string;
}

export function createDeps(opts: DepsOptions) {
  const { config, database, logger } = opts;
  const db = database.db;
  const clock = opts.clock ?? systemClock;
  const hasher = opts.hasher ?? argon2Hasher;
  const tokens = tokenService;
  const authRepo = authRepository(db);
  const twilio = twilioRuntime(config, { apiBase: opts.twilioApiBase });

  const clientDeps = (conn: DbOrTx) => ({ clients: clientRepository(conn), audit: auditLog(conn) });
  const clientsDeps: ClientDeps = {
    ...clientDeps(db),
    transaction: (fn) => db.transaction((tx) => fn(clientDeps(tx))),
  };
  const userDeps = () => ({ users: userRepository(db), clients: clientRepository(db), hasher, audit: auditLog(db) });

  return {
    config,
    database,
    db,
    logger,
    clock,
    twilio,
    auth: {
      login: (input: { email: string; password: string; ip: string | null; userAgent: string | null }) =>
        login({ repo: authRepo, hasher, tokens, clock, sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000 }, input),
      resolveSession: (token: string | null | undefined) => resolveSession({ repo: authRepo, tokens, clock }, token),
      logout: (token: string | null | undefined) => logout({ repo: authRepo, tokens, clock }, token),
      revokeUserSessions: (userId: string) => authRepo.revokeUserSessions(userId, clock.now()),
    },
    clients: {
      create: (actor: Actor, input: CreateClientInput) => createClient(clientsDeps, actor, input),
      list: (actor: Actor) => listClients(clientsDeps, actor),
      get: (actor: Actor, id: string) => getClient(clientsDeps, actor, id),
      update: (actor: Actor, input: UpdateClientInput) => updateClient(clientsDeps, actor, input),
    },
    intake: {
      submit: (input: SubmitLeadInput) => submitLead({ store: intakeStore(db), clock, newId: randomUUID }, input),
    },
    intakeSources: intakeSources(db),
    leads: {
      list: (actor: Actor, input: ListLeadsInput) => listLeads(leadReadRepository(db), actor, input),
      get: (actor: Actor, id: string) => getLead(leadReadRepository(db), actor, id),
      explain: (actor: Actor, id: string) => explainLead(leadReadRepository(db), actor, id),
    },
    users: {
      create: (actor: Actor, input: CreateUserInput) => createUser(userDeps(), actor, input),
      list: (actor: Actor, clientId?: string | null) => listUsers(userDeps(), actor, clientId),
    },
  };
}

export type Deps = ReturnType<typeof createDeps>;
