import { DomainError } from "../errors";
import type { Clock } from "../shared/clock";
import type { AuthRepository, PasswordHasher, ThrottleBucket, TokenService, UserRecord } from "./ports";

/** One message for every failure, so nobody can learn which e-mails have accounts. */
export const BAD_CREDENTIALS = "Email or password is incorrect.";

/**
 * Sign-in throttles (docs/decisions/007-login-throttling.md). Every attempt is counted in
 * PostgreSQL *before* its password is verified; a successful attempt is refunded afterwards.
 * - per account and address: a person who mistypes is slowed, nobody else is;
 * - per account from addresses it never signed in from: slower, so guessing one account from many
 *   addresses stops, while the owner's familiar addresses still get in during an attack;
 * - per address across accounts: one address spraying many e-mails.
 */
export const LOGIN_THROTTLES = {
  accountAndIp: { limit: 5, windowMs: 60_000 },
  account: { limit: 20, windowMs: 15 * 60_000 },
  ip: { limit: 30, windowMs: 60_000 },
} as const;
/** An address the account signed in from within this many days is familiar. */
export const FAMILIAR_IP_DAYS = 30;

export interface LoginDeps {
  repo: AuthRepository;
  hasher: PasswordHasher;
  tokens: TokenService;
  clock: Clock;
  sessionTtlMs: number;
}

// Verifying against a real hash even when the user does not exist keeps timing uniform.
let dummyHash: Promise<string> | null = null;

function windowOf(now: Date, windowMs: number): Date {
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/** The buckets one attempt counts against (sorted, so concurrent upserts lock rows in one order). */
export function throttleBuckets(email: string, ip: string | null, now: Date, familiarIp: boolean): ThrottleBucket[] {
  const t = LOGIN_THROTTLES;
  const address = ip ?? "unknown";
  const buckets: ThrottleBucket[] = [
    { key: `pair:${email}|${address}`, windowStart: windowOf(now, t.accountAndIp.windowMs), limit: t.accountAndIp.limit, windowMs: t.accountAndIp.windowMs },
    { key: `ip:${address}`, windowStart: windowOf(now, t.ip.windowMs), limit: t.ip.limit, windowMs: t.ip.windowMs },
  ];
  if (!familiarIp) buckets.push({ key: `account:${email}`, windowStart: windowOf(now, t.account.windowMs), limit: t.account.limit, windowMs: t.account.windowMs });
  return buckets.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function waitText(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 90 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`;
}

/** Counts one attempt against every bucket before anything is checked; RATE_LIMITED when one is over. */
export async function countAttempt(deps: Pick<LoginDeps, "repo">, email: string, ip: string | null, now: Date): Promise<ThrottleBucket[]> {
  const familiar = ip ? await deps.repo.signedInRecentlyFrom(email, ip, new Date(now.getTime() - FAMILIAR_IP_DAYS * 86_400_000)) : false;
  const buckets = throttleBuckets(email, ip, now, familiar);
  const counts = await deps.repo.countAttempt(buckets, now);
  const over = buckets.filter((b) => (counts.get(b.key) ?? 0) > b.limit);
  if (over.length > 0) {
    const retryAfterMs = Math.max(...over.map((b) => b.windowStart.getTime() + b.windowMs - now.getTime()));
    throw new DomainError("RATE_LIMITED", `Too many sign-in attempts. Try again in ${waitText(retryAfterMs)}.`, {
      details: { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
    });
  }
  return buckets;
}

export interface SignedIn {
  kind: "session";
  token: string;
  user: UserRecord;
  expiresAt: Date;
}

/** The password was right and the account has two-factor on: the code is still owed (auth/second-factor.ts). */
export interface CodeOwed {
  kind: "second_factor";
  /** The challenge token (its own short-lived cookie), never a session. */
  challenge: string;
  expiresAt: Date;
}

/** How long the second step of a sign-in stays open. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/** A successful attempt is refunded, recorded (it makes the address familiar) and becomes a session. */
export async function startSession(
  deps: LoginDeps,
  user: UserRecord,
  input: { ip: string | null; userAgent: string | null },
  buckets: ThrottleBucket[],
  now: Date,
): Promise<SignedIn> {
  await deps.repo.refundAttempt(buckets);
  await deps.repo.recordAttempt({ email: user.email.toLowerCase(), ip: input.ip, succeeded: true, at: now });
  const token = deps.tokens.newToken();
  const expiresAt = new Date(now.getTime() + deps.sessionTtlMs);
  await deps.repo.createSession({
    tokenHash: deps.tokens.hashToken(token),
    userId: user.id,
    expiresAt,
    ip: input.ip,
    userAgent: input.userAgent,
    at: now,
  });
  return { kind: "session", token, user, expiresAt };
}

export async function login(
  deps: LoginDeps,
  input: { email: string; password: string; ip: string | null; userAgent: string | null },
): Promise<SignedIn | CodeOwed> {
  const email = input.email.trim().toLowerCase();
  const now = deps.clock.now();
  const buckets = await countAttempt(deps, email, input.ip, now);
  const user = await deps.repo.findUserByEmail(email);
  dummyHash ??= deps.hasher.hash("leadledger-timing-equalizer");
  const ok = user ? await deps.hasher.verify(user.passwordHash, input.password) : (await deps.hasher.verify(await dummyHash, input.password), false);
  if (!user || !ok || user.disabledAt) {
    await deps.repo.recordAttempt({ email, ip: input.ip, succeeded: false, at: now });
    throw new DomainError("UNAUTHENTICATED", BAD_CREDENTIALS);
  }
  if (user.totpEnabledAt && user.totpSecret) {
    // The password is not held against the person; the code step counts its own attempts.
    await deps.repo.refundAttempt(buckets);
    const challenge = deps.tokens.newToken();
    const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
    await deps.repo.createChallenge({ tokenHash: deps.tokens.hashToken(challenge), userId: user.id, expiresAt });
    return { kind: "second_factor", challenge, expiresAt };
  }
  return startSession(deps, user, input, buckets, now);
}
