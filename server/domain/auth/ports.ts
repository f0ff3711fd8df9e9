import type { Role } from "./roles";

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  clientId: string | null;
  passwordHash: string;
  disabledAt: Date | null;
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
  /** Housekeeping: deletes what ended before each cut-off. */
  purge(cutoffs: { sessionsEndedBefore: Date; failedAttemptsBefore: Date; attemptsBefore: Date; throttleWindowsBefore: Date }): Promise<void>;
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
