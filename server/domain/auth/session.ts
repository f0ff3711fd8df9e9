import type { Clock } from "../shared/clock";
import type { AuthRepository, TokenService, UserRecord } from "./ports";

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
