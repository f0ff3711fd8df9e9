import type { ServerBuild } from "@remix-run/node";
import type { Express } from "express";
import pino, { type Logger } from "pino";
import supertest from "supertest";
import { loadConfig, type Config } from "../../server/config";
import type { Db } from "../../server/db/client";
import { createDeps, type Deps, type DepsOptions } from "../../server/deps";
import { fixedClock, type Clock } from "../../server/domain/shared/clock";
import { createApp, loadRemixBuild } from "../../server/http/app";
import { createTestDatabase, type TestDatabase } from "./db";
import { TEST_TWILIO_AUTH_TOKEN } from "./twilio";

/**
 * Deps plus the test database's handle, for tests that arrange or inspect rows directly.
 * Production Deps has no such handle: entry points reach data only through use cases.
 */
export type TestDeps = Deps & { db: Db };

export interface TestContext {
  db: TestDatabase;
  deps: TestDeps;
  app: Express;
  config: Config;
  close(): Promise<void>;
}

let remixBuild: ServerBuild | null = null;

/** A real app on a fresh real database. The Remix build comes from `npm test`'s build step. */
export async function createTestContext(
  opts: {
    env?: Record<string, string>;
    clock?: Clock;
    remix?: boolean;
    /** a running fake Twilio's url */
    twilioApiBase?: string;
    logger?: Logger;
    /** Without TWILIO_* credentials: the fake Twilio's auth token (default TEST_TWILIO_AUTH_TOKEN), or null for the install's own, stored under DATA_DIR. */
    fakeTwilioAuthToken?: string | null;
    /** More composition-root options (webhook delivery policy, name resolution …). */
    deps?: Pick<DepsOptions, "deliveryPolicy" | "webhookLookup" | "webhookBlockPrivateAddresses">;
  } = {},
): Promise<TestContext> {
  const db = await createTestDatabase();
  // The intake checks (decision 021) are on by default in the product; suites that test them turn
  // them on with env INTAKE_SIGNALS=true, the others judge leads on their contact alone as before.
  const config = loadConfig({ NODE_ENV: "test", PUBLIC_URL: "http://leadledger.test", SEED: "false", JOBS: "false", LOG_LEVEL: "silent", INTAKE_SIGNALS: "false", ...opts.env });
  const fakeTwilioAuthToken = opts.fakeTwilioAuthToken === null ? undefined : (opts.fakeTwilioAuthToken ?? TEST_TWILIO_AUTH_TOKEN);
  const deps: TestDeps = {
    ...createDeps({ config, database: db, logger: opts.logger ?? pino({ level: "silent" }), clock: opts.clock, twilioApiBase: opts.twilioApiBase, fakeTwilioAuthToken, ...opts.deps }),
    db: db.db,
  };
  if (opts.remix !== false && !remixBuild) remixBuild = loadRemixBuild();
  const app = createApp(deps, { remixBuild: opts.remix === false ? null : remixBuild });
  return { db, deps, app, config, close: () => db.drop() };
}

export const SYSTEM = { kind: "system", label: "test" } as const;
export const PASSWORD = "correct horse battery";

/** Creates an agency admin, two clients and a client admin + member for the first client. */
export async function seedTenants(deps: Deps) {
  const acme = await deps.clients.create(SYSTEM, { name: "Acme Roofing" });
  const other = await deps.clients.create(SYSTEM, { name: "Other Plumbing" });
  const admin = await deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
  const staff = await deps.users.create(SYSTEM, { email: "staff@agency.test", password: PASSWORD, role: "agency_staff" });
  const acmeAdmin = await deps.users.create(SYSTEM, { email: "boss@acme.test", password: PASSWORD, role: "client_admin", clientId: acme.id });
  const acmeMember = await deps.users.create(SYSTEM, { email: "rep@acme.test", password: PASSWORD, role: "client_member", clientId: acme.id });
  const otherAdmin = await deps.users.create(SYSTEM, { email: "boss@other.test", password: PASSWORD, role: "client_admin", clientId: other.id });
  return { acme, other, admin, staff, acmeAdmin, acmeMember, otherAdmin };
}

/** Signs in through the real /login form; returns an agent that keeps the session cookie. */
export async function loginAgent(app: Express, email: string, password = PASSWORD) {
  const agent = supertest.agent(app);
  const res = await agent.post("/login").type("form").send({ email, password });
  if (res.status !== 302) throw new Error(`login failed for ${email}: ${res.status}`);
  return agent;
}

/** Calls a tRPC procedure over HTTP like the browser would. */
export async function trpc(agent: supertest.Agent | ReturnType<typeof supertest>, kind: "query" | "mutation", path: string, input?: unknown) {
  if (kind === "query") {
    const q = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return agent.get(`/trpc/${path}${q}`);
  }
  return agent.post(`/trpc/${path}`).set("content-type", "application/json").send(JSON.stringify(input ?? {}));
}

export { fixedClock, TEST_TWILIO_AUTH_TOKEN };

/** A page's text as a person reads it: React's text separators removed, entities decoded. */
export function visible(html: string): string {
  return html
    .replace(/<!-- -->/g, "")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
