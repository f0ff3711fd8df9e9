import { and, count, eq, gt, gte, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { AuthRepository, SessionRecord, UserRecord } from "../../domain/auth/ports";
import type { DbOrTx } from "../client";
import { loginAttempts, loginChallenges, loginThrottle, passwordResets, recoveryCodes, sessions, users } from "../schema";

// eslint-disable-next-line max-lines-per-function -- one short method per port operation
export function authRepository(db: DbOrTx): AuthRepository {
  return {
    async findUserByEmail(email) {
      const [u] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`).limit(1);
      return (u as UserRecord | undefined) ?? null;
    },
    async findUserById(id) {
      const [u] = await db.select().from(users).where(eq(users.id, id)).limit(1);
      return (u as UserRecord | undefined) ?? null;
    },
    async countAttempt(buckets) {
      // One statement: each bucket's row is locked by the upsert, so parallel attempts count one by one.
      const rows = await db
        .insert(loginThrottle)
        .values(buckets.map((b) => ({ bucket: b.key, windowStart: b.windowStart, attempts: 1 })))
        .onConflictDoUpdate({ target: [loginThrottle.bucket, loginThrottle.windowStart], set: { attempts: sql`${loginThrottle.attempts} + 1` } })
        .returning({ bucket: loginThrottle.bucket, attempts: loginThrottle.attempts });
      return new Map(rows.map((r) => [r.bucket, r.attempts]));
    },
    async refundAttempt(buckets) {
      for (const b of buckets) {
        await db
          .update(loginThrottle)
          .set({ attempts: sql`greatest(${loginThrottle.attempts} - 1, 0)` })
          .where(and(eq(loginThrottle.bucket, b.key), eq(loginThrottle.windowStart, b.windowStart)));
      }
    },
    async signedInRecentlyFrom(email, ip, since) {
      const [r] = await db
        .select({ n: count() })
        .from(loginAttempts)
        .where(and(eq(loginAttempts.email, email), eq(loginAttempts.ip, ip), eq(loginAttempts.succeeded, true), gte(loginAttempts.createdAt, since)));
      return (r?.n ?? 0) > 0;
    },
    async recordAttempt(a) {
      await db.insert(loginAttempts).values({ email: a.email, ip: a.ip, succeeded: a.succeeded, createdAt: a.at });
    },
    async createSession(s) {
      const [row] = await db
        .insert(sessions)
        .values({ tokenHash: s.tokenHash, userId: s.userId, expiresAt: s.expiresAt, ip: s.ip, userAgent: s.userAgent, createdAt: s.at, lastSeenAt: s.at })
        .returning();
      return toSession(row!);
    },
    async findSessionByTokenHash(tokenHash) {
      const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash)).limit(1);
      return row ? toSession(row) : null;
    },
    async touchSession(id, at) {
      // Only write when the last touch is a minute old, so page loads don't each cost a write.
      await db
        .update(sessions)
        .set({ lastSeenAt: at })
        .where(and(eq(sessions.id, id), sql`(${sessions.lastSeenAt} is null or ${sessions.lastSeenAt} < ${new Date(at.getTime() - 60_000)})`));
    },
    async revokeSession(tokenHash, at) {
      await db.update(sessions).set({ revokedAt: at }).where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
    },
    async revokeUserSessions(userId, at) {
      const r = await db.update(sessions).set({ revokedAt: at }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt))).returning({ id: sessions.id });
      return r.length;
    },
    async createChallenge(c) {
      await db.insert(loginChallenges).values({ tokenHash: c.tokenHash, userId: c.userId, expiresAt: c.expiresAt });
    },
    async findChallenge(tokenHash, at, maxFailures) {
      const [row] = await db
        .select({ id: loginChallenges.id, userId: loginChallenges.userId, expiresAt: loginChallenges.expiresAt })
        .from(loginChallenges)
        .where(and(eq(loginChallenges.tokenHash, tokenHash), isNull(loginChallenges.usedAt), gt(loginChallenges.expiresAt, at), lt(loginChallenges.failures, maxFailures)))
        .limit(1);
      return row ?? null;
    },
    async failChallenge(id) {
      await db.update(loginChallenges).set({ failures: sql`${loginChallenges.failures} + 1` }).where(eq(loginChallenges.id, id));
    },
    async useChallenge(id, at) {
      const r = await db.update(loginChallenges).set({ usedAt: at }).where(and(eq(loginChallenges.id, id), isNull(loginChallenges.usedAt))).returning({ id: loginChallenges.id });
      return r.length === 1;
    },
    async acceptTotpStep(userId, step) {
      const r = await db
        .update(users)
        .set({ totpLastStep: step })
        .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
        .returning({ id: users.id });
      return r.length === 1;
    },
    async useRecoveryCode(userId, codeHash, at) {
      const r = await db
        .update(recoveryCodes)
        .set({ usedAt: at })
        .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
        .returning({ id: recoveryCodes.id });
      return r.length === 1;
    },
    async purge(c) {
      await db.delete(sessions).where(or(lt(sessions.expiresAt, c.sessionsEndedBefore), and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, c.sessionsEndedBefore))));
      await db.delete(loginAttempts).where(or(and(eq(loginAttempts.succeeded, false), lt(loginAttempts.createdAt, c.failedAttemptsBefore)), lt(loginAttempts.createdAt, c.attemptsBefore)));
      await db.delete(loginThrottle).where(lt(loginThrottle.windowStart, c.throttleWindowsBefore));
      await db.delete(loginChallenges).where(lt(loginChallenges.expiresAt, c.sessionsEndedBefore));
      await db.delete(passwordResets).where(lt(passwordResets.expiresAt, c.sessionsEndedBefore));
    },
  };
}

function toSession(row: typeof sessions.$inferSelect): SessionRecord {
  return { id: row.id, userId: row.userId, expiresAt: row.expiresAt, revokedAt: row.revokedAt };
}
