import { and, eq, isNotNull, lt, or } from "drizzle-orm";
import { FAMILIAR_IP_DAYS } from "../server/domain/auth/login";
import { loginAttempts, loginThrottle, sessions } from "../server/db/schema";
import type { JobSpec } from "./queue";

/**
 * Housekeeping: removes sessions that expired or were revoked a day ago, failed login attempts older
 * than a day, successful ones older than the familiar-address period, and ended throttle windows.
 */
export const purgeExpiredSessionsJob: JobSpec<Record<string, never>> = {
  name: "housekeeping.purge-sessions",
  every: "1 hour",
  async handler(deps) {
    const now = deps.clock.now().getTime();
    const dayAgo = new Date(now - 86_400_000);
    await deps.db.delete(sessions).where(or(lt(sessions.expiresAt, dayAgo), and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, dayAgo))));
    await deps.db
      .delete(loginAttempts)
      .where(or(and(eq(loginAttempts.succeeded, false), lt(loginAttempts.createdAt, dayAgo)), lt(loginAttempts.createdAt, new Date(now - FAMILIAR_IP_DAYS * 86_400_000))));
    await deps.db.delete(loginThrottle).where(lt(loginThrottle.windowStart, new Date(now - 3_600_000)));
  },
};
