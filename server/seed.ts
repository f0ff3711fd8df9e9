import { randomBytes } from "node:crypto";
import { count } from "drizzle-orm";
import type { Deps } from "./deps";
import { users } from "./db/schema";
import type { Actor } from "./domain/auth/roles";

export interface SeededLogin {
  role: string;
  email: string;
  password: string;
  client?: string;
}

const SEED_ACTOR: Actor = { kind: "system", label: "seed" };

function randomPassword(): string {
  return randomBytes(12).toString("base64url");
}

/**
 * Demo data for a first start on an empty database: an agency admin and two demo clients with a
 * client admin each. Returns the logins to print, or null when the database already has users.
 */
export async function seedIfEmpty(deps: Deps): Promise<SeededLogin[] | null> {
  const [row] = await deps.db.select({ n: count() }).from(users);
  if ((row?.n ?? 0) > 0) return null;
  const adminPassword = deps.config.SEED_ADMIN_PASSWORD ?? randomPassword();
  const logins: SeededLogin[] = [];
  await deps.users.create(SEED_ACTOR, { email: deps.config.SEED_ADMIN_EMAIL, name: "Agency Admin", password: padPassword(adminPassword), role: "agency_admin" });
  logins.push({ role: "agency_admin", email: deps.config.SEED_ADMIN_EMAIL, password: padPassword(adminPassword) });

  const demos = [
    { name: "Brooklyn Roofing Co", timezone: "America/New_York", email: "owner@brooklynroofing.demo" },
    { name: "Bay Area HVAC Pros", timezone: "America/Los_Angeles", email: "owner@bayareahvac.demo" },
  ];
  for (const d of demos) {
    const client = await deps.clients.create(SEED_ACTOR, { name: d.name, timezone: d.timezone });
    const password = deps.config.SEED_ADMIN_PASSWORD ? padPassword(deps.config.SEED_ADMIN_PASSWORD) : randomPassword();
    await deps.users.create(SEED_ACTOR, { email: d.email, name: `${d.name} admin`, password, role: "client_admin", clientId: client.id });
    logins.push({ role: "client_admin", email: d.email, password, client: d.name });
  }
  return logins;
}

/** Passwords need 10+ characters; a shorter SEED_ADMIN_PASSWORD (8+) is used as given plus padding. */
function padPassword(p: string): string {
  return p.length >= 10 ? p : p.padEnd(10, "!");
}
