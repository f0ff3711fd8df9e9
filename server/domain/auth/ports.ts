import type { Role } from "./roles";

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  clientId: string | null;
  passwordHash: string;
  disabledAt: Date | null;
  /** IANA time zone the user reads times in (agency users); null: UTC. */
  timeZone: string | null;
  /** TOTP secret (base32): pending while totpEnabledAt is null, in use once it is set. */
  totpSecret: string | null;
  totpEnabledAt: Date | null;
  totpLastStep: number | null;
  createdAt: Date;
}

export interface SessionRecord {
  id: string;
  userId: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface ThrottleBucket {
  key: string;
  windowStart: Date;
  windowMs: number;
  limit: number;
}

export interface AuthRepository {
  findUserByEmail(email: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
  /** Adds one attempt to each bucket's current window, atomically; returns each bucket's count including it. */
  countAttempt(buckets: ThrottleBucket[], at: Date): Promise<Map<string, number>>;
  /** Takes one attempt back from each bucket (a successful sign-in is not held against anyone). */
  refundAttempt(buckets: ThrottleBucket[]): Promise<void>;
  /** Whether this e-mail signed in successfully from this address since the given time. */
  signedInRecentlyFrom(email: string, ip: string, since: Date): Promise<boolean>;
  recordAttempt(a: { email: string; ip: string | null; succeeded: boolean; at: Date }): Promise<void>;
  createSession(s: { tokenHash: string; userId: string; expiresAt: Date; ip: string | null; userAgent: string | null; at: Date }): Promise<SessionRecord>;
  findSessionByTokenHash(tokenHash: string): Promise<SessionRecord | null>;
  touchSession(id: string, at: Date): Promise<void>;
  revokeSession(tokenHash: string, at: Date): Promise<void>;
  revokeUserSessions(userId: string, at: Date): Promise<number>;
  /** The second sign-in step (two-factor): a short-lived challenge that becomes a session with a valid code. */
  createChallenge(c: { tokenHash: string; userId: string; expiresAt: Date }): Promise<void>;
  /** The open challenge (not used, not expired at `at`, fewer than `maxFailures` wrong codes), or null. */
  findChallenge(tokenHash: string, at: Date, maxFailures: number): Promise<{ id: string; userId: string; expiresAt: Date } | null>;
  failChallenge(id: string): Promise<void>;
  /** Marks the challenge used; false when it was used already (a double submit). */
  useChallenge(id: string, at: Date): Promise<boolean>;
  /** Records `step` as the last accepted TOTP step unless one at or after it was accepted (a replayed code): false then. */
  acceptTotpStep(userId: string, step: number): Promise<boolean>;
  /** Uses one unused recovery code with this hash; false when there is none. */
  useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean>;
  /** Housekeeping: deletes what ended before each cut-off. */
  purge(cutoffs: { sessionsEndedBefore: Date; failedAttemptsBefore: Date; attemptsBefore: Date; throttleWindowsBefore: Date }): Promise<void>;
}

/** Two-factor enrolment and the password-reset links (auth/second-factor.ts, auth/password-reset.ts). */
export interface AccountRepository {
  setTotpSecret(userId: string, secret: string | null): Promise<void>;
  /** Turns two-factor on with the step of the code that proved the secret, replacing the recovery codes. */
  enableTotp(userId: string, r: { at: Date; step: number; recoveryCodeHashes: string[] }): Promise<void>;
  disableTotp(userId: string): Promise<void>;
  unusedRecoveryCodes(userId: string): Promise<number>;
  createReset(r: { tokenHash: string; userId: string; expiresAt: Date; ip: string | null; at: Date }): Promise<void>;
  /** Uses the link once (not used, not expired): the user it is for, or null. Atomic: two posts of one link give one reset. */
  consumeReset(tokenHash: string, at: Date): Promise<string | null>;
  /** Whether the link is still usable (for showing the form). */
  resetIsOpen(tokenHash: string, at: Date): Promise<boolean>;
  /** New password: the hash stored, every other open link of the user closed. */
  setPassword(userId: string, passwordHash: string, at: Date): Promise<void>;
}

/** RFC 6238 time-based one-time passwords. */
export interface TotpService {
  /** A new random shared secret, base32. */
  newSecret(): string;
  /** The otpauth:// URI an authenticator app takes (typed in or pasted). */
  uri(secret: string, account: string): string;
  /** The 30-second step the code is valid for at `at` (±1 step for clock drift), or null. */
  verify(secret: string, code: string, at: Date): number | null;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export interface TokenService {
  /** A new random, URL-safe session token. */
  newToken(): string;
  /** Stable one-way hash of a token for storage. */
  hashToken(token: string): string;
}
