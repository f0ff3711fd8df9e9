import pg from "pg";
import { sql } from "drizzle-orm";
import { startFakeTwilio, type FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { expectCleanStop, startServer, until, type RunningServer } from "./support";

/**
 * Issue #21: one SMS per rep and lead even when the server is SIGKILLed mid-send, at each point
 * where the outcome is in doubt, and when Twilio answers late or with a 5xx after creating the
 * message. The fake Twilio runs here, independent of the server, and counts what reached it.
 * Status callbacks are off (autoDeliver false): recovery must work from Twilio's message list
 * alone. TWILIO_TIMEOUT_MS=2000 makes an alert's lease 12 s, so a crashed send is taken over within
 * about 25 s (lease, then the sweep's grace) — long enough for a busy rep to get 60 newer texts first.
 */
const ACCOUNT_SID = `AC${"c4".repeat(16)}`;
const AUTH_TOKEN = "crash-test-auth-token-0123456789";


describe("SIGKILL during SMS alerts: exactly one SMS per rep and lead", () => {
  let tdb: TestDatabase;
  let twilio: FakeTwilio;
  let server: RunningServer | null = null;
  let formKey = "";
  const rows = async <T>(q: ReturnType<typeof sql>) => (await tdb.db.execute(q)).rows as T[];
  const env = () => ({
    DATABASE_URL: tdb.url,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_API_BASE: twilio.url,
    TWILIO_FROM_NUMBER: "+15005550006",
    TWILIO_TIMEOUT_MS: "2000",
  });
  const restart = async () => {
    server = await startServer(env());
    return server;
  };
  const crash = async () => {
    await server!.kill();
    server = null;
  };

  async function postLead(n: number): Promise<{ status: number; leadId?: string }> {
    const res = await fetch(`${server!.url}/api/forms/${formKey}`, {
      method: "POST",
      // Each lead is its own visitor (New York addresses, trusted from loopback): the demo contract
      // allows at most 5 leads an hour from one IP.
      headers: { "content-type": "application/json", "x-forwarded-for": `72.229.${n % 250}.${1 + Math.floor(n / 250)}` },
      body: JSON.stringify({ name: `Crash Lead ${n}`, phone: `(718) 555-${String(2000 + n)}`, email: `crash${n}@example.com`, zip: "11201", budget: "5000", consent: "yes" }),
    }).catch(() => null);
    if (!res) return { status: 0 };
    const body = (await res.json().catch(() => ({}))) as { leadId?: string };
    return { status: res.status, leadId: body.leadId };
  }
  const alertsOf = (name: string) => rows<{ id: string; status: string }>(sql`select a.id, a.status from alerts a join leads l on l.id = a.lead_id where l.name = ${name}`);
  const messagesFor = (name: string) => twilio.messages.filter((m) => m.body.includes(`${name}`) && new RegExp(`${name}\\b`).test(m.body));

  beforeAll(async () => {
    tdb = await createTestDatabase();
    twilio = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, autoDeliver: false });
    await restart();
    formKey = (await rows<{ public_key: string }>(sql`select f.public_key from forms f join clients c on c.id = f.client_id where c.name = 'Brooklyn Roofing Co'`))[0]!.public_key;
    // Both of Brooklyn's reps are on duty whatever time the test runs.
    await tdb.db.execute(sql`update alert_recipients set active_hours = null`);
  });
  afterAll(async () => {
    if (server) await expectCleanStop(server);
    await twilio.stop();
    await tdb.drop();
  });

  it("recovers every doubtful send from Twilio's list and sends the rest once", async () => {
    // 1. Killed while Twilio holds its answer: both messages exist at Twilio, the server never heard.
    //    After the restart each rep gets 60 newer texts before lead 1's alerts are taken over, so
    //    its messages are far beyond the newest 50 that one list call returns.
    twilio.failNext("*", { delayMs: 120_000 }, 2);
    expect((await postLead(1)).status).toBe(201);
    await until("lead 1's two messages at Twilio", async () => messagesFor("Crash Lead 1").length === 2);
    await crash();
    await restart();
    for (let batch = 0; batch < 6; batch++) {
      const posted = await Promise.all(Array.from({ length: 10 }, (_, i) => postLead(100 + batch * 10 + i)));
      expect(posted.every((p) => p.status === 201)).toBe(true);
    }
    const busyDone = await until("the 120 busy texts sent", async () => {
      const busy = twilio.messages.filter((m) => /Crash Lead 1\d\d\b/.test(m.body));
      return busy.length === 120 ? busy : null;
    });
    const lead1 = await until("lead 1's alerts recovered", async () => {
      const r = await rows<{ status: string; sent_at: string }>(sql`select a.status, a.sent_at from alerts a join leads l on l.id = a.lead_id where l.name = 'Crash Lead 1'`);
      return r.length === 2 && r.every((a) => a.status === "sent") ? r : null;
    });
    const lastBusy = Math.max(...busyDone.map((m) => m.dateCreated.getTime()));
    expect(lead1.every((a) => new Date(a.sent_at).getTime() > lastBusy)).toBe(true);
    expect(messagesFor("Crash Lead 1")).toHaveLength(2);
    await crash();

    // 2. Killed before Twilio created anything: the requests are held, then the caller is gone.
    await restart();
    twilio.failNext("*", { holdBeforeCreateMs: 120_000 }, 2);
    expect((await postLead(2)).status).toBe(201);
    await until("lead 2's alerts claimed", async () => {
      const a = await alertsOf("Crash Lead 2");
      return a.length === 2 && a.every((x) => x.status === "sending");
    });
    // Both requests are at Twilio (each took its armed hold), not merely claimed: a request that
    // arrived after the crash would leave its hold armed for step 3's sends.
    await until("lead 2's two requests held at Twilio", async () => twilio.failuresPending() === 0);
    await crash();
    expect(messagesFor("Crash Lead 2")).toHaveLength(0);

    // 3. Killed after Twilio answered, before the database recorded the SID: the test holds the
    //    alert rows locked, so the server's UPDATE waits until it is killed.
    await restart();
    twilio.failNext("*", { delayMs: 1500 }, 2);
    expect((await postLead(3)).status).toBe(201);
    const held = await until("lead 3's alerts claimed", async () => {
      const a = await alertsOf("Crash Lead 3");
      return a.length === 2 && a.every((x) => x.status === "sending") ? a : null;
    });
    const locker = new pg.Client({ connectionString: tdb.url });
    await locker.connect();
    await locker.query("begin");
    await locker.query("select id from alerts where id = any($1) for update", [held.map((a) => a.id)]);
    await until("lead 3's two messages at Twilio", async () => messagesFor("Crash Lead 3").length === 2);
    await new Promise((r) => setTimeout(r, 2000)); // Twilio has answered; the server waits on the lock
    await crash();
    // PostgreSQL notices a dead client only when it next writes to it, so the killed server's
    // waiting UPDATE would still commit once the lock goes; end its session as the crash would.
    await locker.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'");
    await locker.query("rollback");
    await locker.end();
    expect(await alertsOf("Crash Lead 3")).toEqual(expect.arrayContaining([expect.objectContaining({ status: "sending" })]));

    // 4. A stream of leads, killed in the middle of it.
    await restart();
    const answers: Promise<{ status: number; leadId?: string }>[] = [];
    for (let n = 10; n < 40; n++) {
      answers.push(postLead(n));
      await new Promise((r) => setTimeout(r, 40));
      if (n === 25) await crash();
      if (n === 25) await restart();
    }
    const stream = await Promise.all(answers);
    const committed = stream.filter((a) => a.status === 201);
    expect(committed.length).toBeGreaterThanOrEqual(14);

    // 5. Twilio answers 500 after creating the message, and one that answers after the SDK timeout.
    twilio.failNext("*", { createThenStatus: 500 }, 1);
    expect((await postLead(50)).status).toBe(201);
    twilio.failNext("*", { delayMs: 3000 }, 1);
    expect((await postLead(51)).status).toBe(201);

    // Every 2xx lead is stored once; every qualified lead's alerts end sent, and Twilio holds
    // exactly one message per rep and lead.
    for (const a of committed) expect(await rows(sql`select count(*)::int as n from leads where id = ${a.leadId!}`)).toEqual([{ n: 1 }]);
    const done = await until(
      "every alert sent",
      async () => {
        const [r] = await rows<{ sent: number; all: number; leads: number }>(
          sql`select count(*) filter (where a.status in ('sent', 'delivered'))::int as sent, count(*)::int as all,
                     count(distinct l.id) filter (where l.status = 'qualified')::int as leads
              from leads l left join alerts a on a.lead_id = l.id where l.name like 'Crash Lead %'`,
        );
        return r && r.all === r.leads * 2 && r.sent === r.all ? r : null;
      },
      90_000,
    );
    const perRepAndLead = new Map<string, number>();
    for (const m of twilio.messages) {
      const lead = /Crash Lead \d+/.exec(m.body)?.[0];
      if (lead) perRepAndLead.set(`${m.to}|${lead}`, (perRepAndLead.get(`${m.to}|${lead}`) ?? 0) + 1);
    }
    const doubled = [...perRepAndLead.entries()].filter(([, n]) => n > 1);
    expect(doubled).toEqual([]);
    expect(perRepAndLead.size).toBe(done.all);
    // The held and locked sends were recognised at Twilio, not sent again.
    expect(messagesFor("Crash Lead 1")).toHaveLength(2);
    expect(messagesFor("Crash Lead 2")).toHaveLength(2);
    expect(messagesFor("Crash Lead 3")).toHaveLength(2);
    const recoveredSids = await rows<{ message_sid: string }>(sql`select a.message_sid from alerts a join leads l on l.id = a.lead_id where l.name in ('Crash Lead 1', 'Crash Lead 3')`);
    expect(recoveredSids.map((r) => r.message_sid).sort()).toEqual([...messagesFor("Crash Lead 1"), ...messagesFor("Crash Lead 3")].map((m) => m.sid).sort());
  }, 300_000);
});
