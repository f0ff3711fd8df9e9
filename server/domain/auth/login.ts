import { DomainError } from "../errors";
import type { Clock } from "../shared/clock";
import type { AuthRepository, PasswordHasher, TokenService, UserRecord } from "./ports";

export const LOGIN_FAILURES_PER_MINUTE = 5;
/** One message for every failure, so nobody can learn which e-mails have accounts. */
export const BAD_CREDENTIALS = "Email or password is incorrect.";

export interface LoginDeps {
  repo: AuthRepository;
  hasher: PasswordHasher;
  tokens: TokenService;
  clock: Clock;
  sessionTtlMs: number;
}

// Verifying against a real hash even when the user does not exist keeps timing uniform.
let dummyHash: Promise<string> | null = null;

export async function login(
  deps: LoginDeps,
  input: { email: string; password: string; ip: string | null; userAgent: string | null },
): Promise<{ token: string; user: UserRecord; expiresAt: Date }> {
  const email = input.email.trim().toLowerCase();
  const now = deps.clock.now();
  const failures = await deps.repo.countRecentFailures(email, new Date(now.getTime() - 60_000));
  if (failures >= LOGIN_FAILURES_PER_MINUTE) {
    throw new DomainError("RATE_LIMITED", "Too many failed sign-in attempts. Wait a minute and try again.");
  }
  const user = await deps.repo.findUserByEmail(email);
  dummyHash ??= deps.hasher.hash("leadledger-timing-equalizer");
  const ok = user ? await deps.hasher.verify(user.passwordHash, input.password) : (await deps.hasher.verify(await dummyHash, input.password), false);
  if (!user || !ok || user.disabledAt) {
    await deps.repo.recordAttempt({ email, ip: input.ip, succeeded: false, at: now });
    throw new DomainError("UNAUTHENTICATED", BAD_CREDENTIALS);
  }
  await deps.repo.recordAttempt({ email, ip: input.ip, succeeded: true, at: now });
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
  return { token, user, expiresAt };
}
