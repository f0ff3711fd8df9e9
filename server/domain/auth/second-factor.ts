import type { AuditLog } from "../audit/audit";
import { DomainError } from "../errors";
import type { Actor } from "./roles";
import { countAttempt, startSession, type LoginDeps, type SignedIn } from "./login";
import type { AccountRepository, TotpService, UserRecord } from "./ports";

/**
 * Optional two-factor sign-in for agency users (RFC 6238 TOTP, docs/decisions/025-accounts.md):
 * enrolment from the account page (the secret shown as text and as an otpauth:// URI, proven with a
 * code before it counts), ten single-use recovery codes stored hashed, and the second sign-in step,
 * whose codes count against the same sign-in throttle as passwords (decision 007).
 */

export interface SecondFactorDeps extends LoginDeps {
  accounts: AccountRepository;
  audit: AuditLog;
  totp: TotpService;
  /** A random recovery code (shown once). */
  newRecoveryCode(): string;
}

/** Wrong codes a challenge takes before the password must be entered again. */
export const CHALLENGE_MAX_FAILURES = 5;
export const RECOVERY_CODE_COUNT = 10;

const CODE_STEP_EXPIRED = "This sign-in step has expired. Enter your e-mail and password again.";
const WRONG_CODE = "That code is not right. Enter the 6-digit code from your authenticator app, or one of your recovery codes.";

/** Recovery codes are typed in any case, with or without the dash. */
export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, "").toLowerCase();
}

/** The second step of a sign-in: the challenge from the password step and a TOTP or recovery code. */
export async function verifySecondFactor(
  deps: SecondFactorDeps,
  input: { challenge: string | null; code: string; ip: string | null; userAgent: string | null },
): Promise<SignedIn> {
  const now = deps.clock.now();
  const found = input.challenge ? await deps.repo.findChallenge(deps.tokens.hashToken(input.challenge), now, CHALLENGE_MAX_FAILURES) : null;
  const user = found ? await deps.repo.findUserById(found.userId) : null;
  if (!found || !user || user.disabledAt || !user.totpEnabledAt || !user.totpSecret) {
    throw new DomainError("UNAUTHENTICATED", CODE_STEP_EXPIRED, { details: { restart: true } });
  }
  const buckets = await countAttempt(deps, user.email.toLowerCase(), input.ip, now);
  const code = input.code.replace(/\s/g, "");
  let ok = false;
  if (/^\d{6}$/.test(code)) {
    const step = deps.totp.verify(user.totpSecret, code, now);
    ok = step !== null && (await deps.repo.acceptTotpStep(user.id, step));
  } else if (normalizeRecoveryCode(code).length >= 10) {
    ok = await deps.repo.useRecoveryCode(user.id, deps.tokens.hashToken(normalizeRecoveryCode(code)), now);
  }
  if (!ok) {
    await deps.repo.failChallenge(found.id);
    await deps.repo.recordAttempt({ email: user.email.toLowerCase(), ip: input.ip, succeeded: false, at: now });
    throw new DomainError("UNAUTHENTICATED", WRONG_CODE);
  }
  if (!(await deps.repo.useChallenge(found.id, now))) throw new DomainError("UNAUTHENTICATED", CODE_STEP_EXPIRED, { details: { restart: true } });
  return startSession(deps, user, input, buckets, now);
}

function ownAgencyUser(actor: Actor): string {
  if (actor.kind !== "agency") throw new DomainError("FORBIDDEN", "Two-factor sign-in is for agency users.");
  return actor.userId;
}

export interface TwoFactorStatus {
  enabled: boolean;
  /** While enrolling: the secret to type into the app, and the otpauth:// URI for apps that take one. */
  pending: { secret: string; uri: string } | null;
  recoveryCodesLeft: number;
}

async function me(deps: SecondFactorDeps, userId: string): Promise<UserRecord> {
  const user = await deps.repo.findUserById(userId);
  if (!user) throw new DomainError("NOT_FOUND", "User not found.");
  return user;
}

export async function twoFactorStatus(deps: SecondFactorDeps, actor: Actor): Promise<TwoFactorStatus> {
  const user = await me(deps, ownAgencyUser(actor));
  const enabled = Boolean(user.totpEnabledAt && user.totpSecret);
  return {
    enabled,
    pending: !enabled && user.totpSecret ? { secret: user.totpSecret, uri: deps.totp.uri(user.totpSecret, user.email) } : null,
    recoveryCodesLeft: enabled ? await deps.accounts.unusedRecoveryCodes(user.id) : 0,
  };
}

/** Starts (or restarts) enrolment: a new secret, not used for sign-in until a code proves it. */
export async function beginTwoFactor(deps: SecondFactorDeps, actor: Actor): Promise<TwoFactorStatus> {
  const user = await me(deps, ownAgencyUser(actor));
  if (user.totpEnabledAt) throw new DomainError("CONFLICT", "Two-factor sign-in is already on. Turn it off first to set up a new app.");
  await deps.accounts.setTotpSecret(user.id, deps.totp.newSecret());
  return twoFactorStatus(deps, actor);
}

/** Finishes enrolment with a code from the app; answers the recovery codes, shown this once. */
export async function confirmTwoFactor(
  deps: SecondFactorDeps,
  actor: Actor,
  input: { code: string },
): Promise<{ recoveryCodes: string[] }> {
  const user = await me(deps, ownAgencyUser(actor));
  if (user.totpEnabledAt) throw new DomainError("CONFLICT", "Two-factor sign-in is already on.");
  if (!user.totpSecret) throw new DomainError("CONFLICT", "Start the set-up first.");
  const step = deps.totp.verify(user.totpSecret, input.code.replace(/\s/g, ""), deps.clock.now());
  if (step === null) {
    throw new DomainError("VALIDATION_FAILED", "That code is not right. Check the app's clock and enter the current 6-digit code.", { issues: [{ path: ["code"], message: "is not the current code" }] });
  }
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => deps.newRecoveryCode());
  await deps.accounts.enableTotp(user.id, { at: deps.clock.now(), step, recoveryCodeHashes: codes.map((c) => deps.tokens.hashToken(normalizeRecoveryCode(c))) });
  await deps.audit.record(actor, { clientId: null, action: "user.two_factor_enabled", entityType: "user", entityId: user.id });
  return { recoveryCodes: codes };
}

/** Turns two-factor off; a current code (or a recovery code) is asked, so a borrowed session cannot. */
export async function disableTwoFactor(
  deps: SecondFactorDeps,
  actor: Actor,
  input: { code: string },
): Promise<{ enabled: false }> {
  const user = await me(deps, ownAgencyUser(actor));
  if (!user.totpEnabledAt || !user.totpSecret) {
    await deps.accounts.setTotpSecret(user.id, null);
    return { enabled: false };
  }
  const code = input.code.replace(/\s/g, "");
  const ok = /^\d{6}$/.test(code)
    ? deps.totp.verify(user.totpSecret, code, deps.clock.now()) !== null
    : await deps.repo.useRecoveryCode(user.id, deps.tokens.hashToken(normalizeRecoveryCode(code)), deps.clock.now());
  if (!ok) throw new DomainError("VALIDATION_FAILED", WRONG_CODE, { issues: [{ path: ["code"], message: "is not a current code" }] });
  await deps.accounts.disableTotp(user.id);
  await deps.audit.record(actor, { clientId: null, action: "user.two_factor_disabled", entityType: "user", entityId: user.id });
  return { enabled: false };
}
