import { sql } from "drizzle-orm";
import { startFakeTwilio, type FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { expectCleanStop, startServer, until, type RunningServer } from "./support";

/**
 * The supported scale-out mode (README "Running in production"): two web processes with JOBS=false
 * and two workers (`npm run worker`) on one PostgreSQL, one Twilio. Everything must come out exactly
 * as with one process: one seed, one SMS per rep and lead, one invoice per client-month when two
 * processes close it at once, one auto-approval of a dispute whose deadline passed.
 */
const ACCOUNT_SID = `AC${"5c".repeat(16)}`;
const AUTH_TOKEN = "scale-out-test-auth-token-0123456789";
const PASSWORD = "e2e-admin-password";

async function signIn(server: RunningServer, email: string): Promise<string> {
  const res = await fetch(`${server.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: PASSWORD }),
    redirect: "manual",
  });
  if (res.status !== 302) throw new Error(`sign-in as ${email} on ${server.url}: ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

async function mutation(server: RunningServer, cookie: string, path: string, input: unknown) {
  const res = await fetch(`${server.url}/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify(input) });
  const body = (await res.json()) as { result?: { data: unknown }; error?: unknown };
  if (!body.result) throw new Error(`${path} on ${server.url}: ${res.status} ${JSON.stringify(body.error)}`);
  return body.result.data as Record<string, unknown>;
}


describe("two web processes and two workers on one PostgreSQL", () => {
  let tdb: TestDatabase;
  let twilio: FakeTwilio;
  const servers: RunningServer[] = [];
  /** Starts processes together; every one that started is stopped after the test, even if another failed. */
  const startAll = async (starting: Promise<RunningServer>[]) => {
    const settled = await Promise.allSettled(starting);
    for (const r of settled) if (r.status === "fulfilled") servers.push(r.value);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<RunningServer>).value);
  };
  const rows = async <T>(q: ReturnType<typeof sql>) => (await tdb.db.execute(q)).rows as T[];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    twilio = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, autoDeliver: true });
  });
  afterAll(async () => {
    for (const s of servers.reverse()) await expectCleanStop(s);
    await twilio.stop();
    await tdb.drop();
  });

  it("seeds once, texts each rep once per lead, closes a month into one invoice and auto-approves a dispute once", async () => {
    const common = {
      DATABASE_URL: tdb.url,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_API_BASE: twilio.url,
      TWILIO_FROM_NUMBER: "+15005550006",
    };
    // Both web processes start at once on the empty database: the seed must run once.
    const [web1, web2] = await startAll([startServer({ ...common, JOBS: "false" }), startServer({ ...common, JOBS: "false" })]);
    expect(await rows(sql`select count(*)::int as n from users`)).toEqual([{ n: 3 }]);
    expect((await fetch(`${web1!.url}/readyz`)).status).toBe(200);

    // Leads round-robin over both web processes while no worker runs yet: nothing may be lost.
    const forms = await rows<{ public_key: string; client: string }>(sql`select f.public_key, c.name as client from forms f join clients c on c.id = f.client_id order by c.name`);
    const brooklyn = forms.find((f) => f.client === "Brooklyn Roofing Co")!;
    const posts = Array.from({ length: 30 }, (_, i) =>
      fetch(`${(i % 2 ? web2 : web1)!.url}/api/forms/${brooklyn.public_key}`, {
        method: "POST",
        // Each lead is its own visitor (the demo contract allows at most 5 leads an hour from one IP).
        headers: { "content-type": "application/json", "x-forwarded-for": `72.229.10.${1 + i}` },
        body: JSON.stringify({ name: `Scale Lead ${i}`, phone: `(718) 555-${String(1000 + i)}`, email: `scale${i}@example.com`, zip: "11201", budget: "5000", consent: "yes" }),
      }),
    );
    const answers = await Promise.all(posts);
    expect(answers.every((r) => r.status === 201)).toBe(true);

    // Last month must be closable: the demo client existed then (its contract is from 2020).
    await tdb.db.execute(sql`update clients set created_at = now() - interval '90 days'`);
    const agency1 = await signIn(web1!, "admin@leadledger.local");
    const agency2 = await signIn(web2!, "admin@leadledger.local");
    const clientId = (await rows<{ id: string }>(sql`select id from clients where name = 'Brooklyn Roofing Co'`))[0]!.id;
    const [a, b] = await Promise.all([mutation(web1!, agency1, "invoices.close", { clientId }), mutation(web2!, agency2, "invoices.close", { clientId })]);
    expect((a.invoice as { id: string }).id).toBe((b.invoice as { id: string }).id);
    expect(await rows(sql`select count(*)::int as n from invoices where client_id = ${clientId} and status <> 'void'`)).toEqual([{ n: 1 }]);

    // A dispute whose agency deadline has already passed, before any worker runs.
    const owner = await signIn(web2!, "owner@brooklynroofing.demo");
    const lead = (await rows<{ id: string }>(sql`select id from leads where name = 'Scale Lead 3'`))[0]!;
    const opened = await mutation(web2!, owner, "disputes.open", { leadId: lead.id, reason: "not_looking" });
    const disputeId = (opened.dispute as { id: string }).id;
    await tdb.db.execute(sql`update disputes set due_at = now() - interval '1 minute' where id = ${disputeId}`);

    // Two workers start together; status callbacks go to a web process.
    const workers = await startAll([
      startServer({ ...common, PUBLIC_URL: web1!.url }, { args: ["--worker"] }),
      startServer({ ...common, PUBLIC_URL: web2!.url }, { args: ["--worker"] }),
    ]);
    expect((await fetch(`${workers[0]!.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${workers[0]!.url}/login`)).status).toBe(404);

    const qualified = (await rows<{ n: number }>(sql`select count(*)::int as n from leads where name like 'Scale Lead %' and status = 'qualified'`))[0]!.n;
    expect(qualified).toBe(30);
    const sent = await until("every alert sent", async () => {
      const [r] = await rows<{ done: number; all: number }>(
        sql`select count(*) filter (where a.status in ('sent', 'delivered'))::int as done, count(*)::int as all from alerts a join leads l on l.id = a.lead_id where l.name like 'Scale Lead %'`,
      );
      return r && r.all === qualified * 2 && r.done === r.all ? r : null;
    });
    expect(sent.all).toBe(60);
    const scaleMessages = twilio.messages.filter((m) => m.body.includes("Scale Lead"));
    const perRepAndLead = new Map<string, number>();
    for (const m of scaleMessages) {
      const leadName = /Scale Lead \d+/.exec(m.body)![0];
      perRepAndLead.set(`${m.to}|${leadName}`, (perRepAndLead.get(`${m.to}|${leadName}`) ?? 0) + 1);
    }
    expect(perRepAndLead.size).toBe(60);
    expect([...perRepAndLead.values()].every((n) => n === 1)).toBe(true);

    const approved = await until("the overdue dispute auto-approved", async () => {
      const [d] = await rows<{ status: string }>(sql`select status from disputes where id = ${disputeId}`);
      return d?.status === "auto_approved" ? d : null;
    });
    expect(approved.status).toBe("auto_approved");
    await new Promise((r) => setTimeout(r, 2000)); // let a second worker's run of the job finish too
    expect(await rows(sql`select count(*)::int as n from ledger_entries where dispute_id = ${disputeId} and kind = 'dispute_credit'`)).toEqual([{ n: 1 }]);
  }, 240_000);
});
