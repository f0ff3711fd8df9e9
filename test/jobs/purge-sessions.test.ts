import { purgeExpiredSessionsJob } from "../../jobs/purge-sessions";
import { loginAttempts, loginThrottle, sessions, users } from "../../server/db/schema";
import { createTestContext, fixedClock, type TestContext } from "../support/app";
import { recordingJobContext } from "../support/fixtures";

const DAY = 86_400_000;

describe("housekeeping.purge-sessions", () => {
  const clock = fixedClock("2026-06-15T12:00:00Z");
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ remix: false, clock });
  });
  afterAll(() => t.close());

  it("deletes sessions ended a day ago, failed attempts older than a day, successful ones older than 30 days and ended throttle windows; keeps the rest", async () => {
    const now = clock.now().getTime();
    const at = (msAgo: number) => new Date(now - msAgo);
    const [user] = await t.deps.db.insert(users).values({ email: "purge@example.com", name: "Purge", role: "agency_admin", passwordHash: "x" }).returning();
    const session = (tokenHash: string, expiresAt: Date, revokedAt: Date | null = null) => ({ tokenHash, userId: user!.id, expiresAt, revokedAt });
    await t.deps.db.insert(sessions).values([
      session("expired-2-days-ago", at(2 * DAY)),
      session("expired-an-hour-ago", at(3_600_000)),
      session("revoked-2-days-ago", at(-DAY), at(2 * DAY)),
      session("live", at(-DAY)),
    ]);
    const attempt = (email: string, succeeded: boolean, msAgo: number) => ({ email, ip: "203.0.113.9", succeeded, createdAt: at(msAgo) });
    await t.deps.db.insert(loginAttempts).values([
      attempt("failed-old@example.com", false, 2 * DAY),
      attempt("failed-recent@example.com", false, 3_600_000),
      attempt("ok-40-days@example.com", true, 40 * DAY),
      attempt("ok-10-days@example.com", true, 10 * DAY),
    ]);
    await t.deps.db.insert(loginThrottle).values([
      { bucket: "ip:203.0.113.9", windowStart: at(2 * 3_600_000), attempts: 3 },
      { bucket: "ip:203.0.113.9", windowStart: at(60_000), attempts: 1 },
    ]);

    await purgeExpiredSessionsJob.handler(t.deps, {}, recordingJobContext());
    // At-least-once: a second run finds nothing more to do.
    await purgeExpiredSessionsJob.handler(t.deps, {}, recordingJobContext());

    expect((await t.deps.db.select().from(sessions)).map((s) => s.tokenHash).sort()).toEqual(["expired-an-hour-ago", "live"]);
    expect((await t.deps.db.select().from(loginAttempts)).map((a) => a.email).sort()).toEqual(["failed-recent@example.com", "ok-10-days@example.com"]);
    expect((await t.deps.db.select().from(loginThrottle)).map((w) => w.windowStart.toISOString())).toEqual([at(60_000).toISOString()]);
  });
});
