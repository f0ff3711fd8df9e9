import type { AuditLog } from "../audit/audit";
import { DomainError } from "../errors";
import { compose } from "../notifications/render-email";
import type { Mailer } from "../notifications/ports";
import type { Clock } from "../shared/clock";
import { parseInput } from "../shared/parse";
import { passwordResetInput, passwordResetRequestInput } from "../users/inputs";
import type { AccountRepository, AuthRepository, PasswordHasher, ThrottleBucket, TokenService } from "./ports";

/**
 * Password reset by e-mail (docs/decisions/025-accounts.md): a random link whose sha256 is stored,
 * good for one hour and one use; asking answers the same whether or not the address has an account
 * (the e-mail is sent after the answer, so the time taken does not tell either); asking is
 * throttled per address and per network address; a reset signs the account out everywhere.
 */

export const RESET_TTL_MS = 60 * 60_000;
export const RESET_THROTTLES = {
  email: { limit: 3, windowMs: 60 * 60_000 },
  ip: { limit: 10, windowMs: 60 * 60_000 },
} as const;

export interface PasswordResetDeps {
  repo: AuthRepository;
  accounts: AccountRepository;
  hasher: PasswordHasher;
  tokens: TokenService;
  clock: Clock;
  mailer: Mailer;
  publicUrl: string;
  agencyName: string;
  audit: AuditLog;
  /** A send that failed after the person was answered (logged by the caller). */
  onSendError(e: unknown): void;
  /** Runs the reset's writes in one transaction. */
  transaction<T>(fn: (tx: Pick<PasswordResetDeps, "repo" | "accounts" | "audit">) => Promise<T>): Promise<T>;
}

function bucketsFor(email: string, ip: string | null, now: Date): ThrottleBucket[] {
  const windowOf = (ms: number) => new Date(Math.floor(now.getTime() / ms) * ms);
  const t = RESET_THROTTLES;
  return [
    { key: `reset-email:${email}`, windowStart: windowOf(t.email.windowMs), limit: t.email.limit, windowMs: t.email.windowMs },
    { key: `reset-ip:${ip ?? "unknown"}`, windowStart: windowOf(t.ip.windowMs), limit: t.ip.limit, windowMs: t.ip.windowMs },
  ].sort((a, b) => (a.key < b.key ? -1 : 1));
}

export function resetEmail(agencyName: string, link: string): { subject: string; text: string; html: string } {
  return compose(
    `Reset your ${agencyName} password`,
    [["Link valid for", "1 hour, once"]],
    { label: "Choose a new password", url: link },
    `Someone (hopefully you) asked to reset the password of your ${agencyName} account on LeadLedger. If it was not you, ignore this e-mail: your password stays as it is.`,
  );
}

/** Always answers the same; an account that exists and is active gets the e-mail. */
export async function requestPasswordReset(deps: PasswordResetDeps, raw: { email: string; ip: string | null }): Promise<{ sent: true }> {
  const { email } = parseInput(passwordResetRequestInput, raw);
  const now = deps.clock.now();
  const buckets = bucketsFor(email, raw.ip, now);
  const counts = await deps.repo.countAttempt(buckets, now);
  if (buckets.some((b) => (counts.get(b.key) ?? 0) > b.limit)) {
    throw new DomainError("RATE_LIMITED", "Too many reset requests. Try again in an hour.", { details: { retryAfterSeconds: 3600 } });
  }
  const user = email ? await deps.repo.findUserByEmail(email) : null;
  if (!user || user.disabledAt) return { sent: true };
  const token = deps.tokens.newToken();
  await deps.accounts.createReset({ tokenHash: deps.tokens.hashToken(token), userId: user.id, expiresAt: new Date(now.getTime() + RESET_TTL_MS), ip: raw.ip, at: now });
  const link = `${deps.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
  void deps.mailer.send({ to: user.email, ...resetEmail(deps.agencyName, link) }).catch((e: unknown) => deps.onSendError(e));
  return { sent: true };
}

const LINK_GONE = "This reset link has expired or was already used. Ask for a new one.";

/** Whether a link can still be used (the page shows the form, or says it is gone). */
export async function resetLinkIsOpen(deps: Pick<PasswordResetDeps, "accounts" | "tokens" | "clock">, token: string): Promise<boolean> {
  if (!token || token.length > 200) return false;
  return deps.accounts.resetIsOpen(deps.tokens.hashToken(token), deps.clock.now());
}

/** Sets the new password once per link and signs the account out of every session. */
export async function resetPassword(deps: PasswordResetDeps, raw: { token: string; password: string }): Promise<{ email: string }> {
  const input = parseInput(passwordResetInput, raw);
  const passwordHash = await deps.hasher.hash(input.password);
  const now = deps.clock.now();
  return deps.transaction(async (tx) => {
    const userId = await tx.accounts.consumeReset(deps.tokens.hashToken(input.token), now);
    const user = userId ? await tx.repo.findUserById(userId) : null;
    if (!user || user.disabledAt) throw new DomainError("NOT_FOUND", LINK_GONE);
    await tx.accounts.setPassword(user.id, passwordHash, now);
    const revoked = await tx.repo.revokeUserSessions(user.id, now);
    await tx.audit.record({ kind: "system", label: "password-reset" }, { clientId: user.clientId, action: "user.password_reset", entityType: "user", entityId: user.id, after: { sessionsRevoked: revoked } });
    return { email: user.email };
  });
}
