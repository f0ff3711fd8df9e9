import { lt, or, isNotNull, and } from "drizzle-orm";
import { loginAttempts, sessions } from "../server/db/schema";
import type { JobSpec } from "./registry";

/** Housekeeping: removes sessions that expired or were revoked a day ago, and old login attempts. */
export const purgeExpiredSessionsJob: JobSpec<Record<string, never>> = {
  name: "housekeeping.purge-sessions",
  every: "1 hour",
  async handler(deps) {
    const dayAgo = new Date(deps.clock.now().getTime() - 86_400_000);
    await deps.db.delete(sessions).where(or(lt(sessions.expiresAt, dayAgo), and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, dayAgo))));
    await deps.db.delete(loginAttempts).where(lt(loginAttempts.createdAt, dayAgo));
  },
};
