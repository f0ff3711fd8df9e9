import { and, count, eq, gte, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { AuthRepository, SessionRecord, UserRecord } from "../../domain/auth/ports";
import type { DbOrTx } from "../client";
import { loginAttempts, loginThrottle, sessions, users } from "../schema";

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
    async purge(c) {
      await db.delete(sessions).where(or(lt(sessions.expiresAt, c.sessionsEndedBefore), and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, c.sessionsEndedBefore))));
      await db.delete(loginAttempts).where(or(and(eq(loginAttempts.succeeded, false), lt(loginAttempts.createdAt, c.failedAttemptsBefore)), lt(loginAttempts.createdAt, c.attemptsBefore)));
      await db.delete(loginThrottle).where(lt(loginThrottle.windowStart, c.throttleWindowsBefore));
    },
  };
}

function toSession(row: typeof sessions.$inferSelect): SessionRecord {
  return { id: row.id, userId: row.userId, expiresAt: row.expiresAt, revokedAt: row.revokedAt };
}
