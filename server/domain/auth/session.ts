import type { Clock } from "../shared/clock";
import type { AuthRepository, TokenService, UserRecord } from "./ports";
import { FAMILIAR_IP_DAYS } from "./login";

export interface SessionDeps {
  repo: AuthRepository;
  tokens: TokenService;
  clock: Clock;
}

/** The signed-in user for a session token, or null when missing, expired, revoked or disabled. */
export async function resolveSession(deps: SessionDeps, token: string | null | undefined): Promise<UserRecord | null> {
  if (!token || token.length > 200) return null;
  const session = await deps.repo.findSessionByTokenHash(deps.tokens.hashToken(token));
  const now = deps.clock.now();
  if (!session || session.revokedAt || session.expiresAt.getTime() <= now.getTime()) return null;
  const user = await deps.repo.findUserById(session.userId);
  if (!user || user.disabledAt) return null;
  await deps.repo.touchSession(session.id, now);
  return user;
}

export async function logout(deps: SessionDeps, token: string | null | undefined): Promise<void> {
  if (!token) return;
  await deps.repo.revokeSession(deps.tokens.hashToken(token), deps.clock.now());
}

/**
 * Housekeeping (hourly job): sessions, two-factor sign-in steps and password-reset links that ended a
 * day ago, failed sign-in attempts
 * older than a day, successful ones older than the familiar-address period (login.ts), and throttle
 * windows that ended.
 */
export async function purgeExpiredSessions(deps: { repo: AuthRepository; clock: Clock }): Promise<void> {
  const now = deps.clock.now().getTime();
  const dayAgo = new Date(now - 86_400_000);
  await deps.repo.purge({
    sessionsEndedBefore: dayAgo,
    failedAttemptsBefore: dayAgo,
    attemptsBefore: new Date(now - FAMILIAR_IP_DAYS * 86_400_000),
    throttleWindowsBefore: new Date(now - 3_600_000),
  });
}
