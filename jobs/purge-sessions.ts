import type { JobSpec } from "./queue";

/** Housekeeping: expired and revoked sessions, old sign-in attempts, ended throttle windows (purgeExpiredSessions). */
export const purgeExpiredSessionsJob: JobSpec<Record<string, never>> = {
  name: "housekeeping.purge-sessions",
  every: "1 hour",
  async handler(deps) {
    await deps.auth.purgeExpired();
  },
};
