import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import supertest from "supertest";
import { commands } from "../../server/cli/commands";
import { trackingNumbers } from "../../server/db/schema";
import { createTestContext, fixedClock, SYSTEM, type TestContext } from "../support/app";
import { CALL_CONTRACT, setupIntakeClient, twilioPost } from "../support/fixtures";

/** Number pools on a real PostgreSQL: race-free reservations, overflow, calls attributed to the session holding the number, expiry. */
describe("dynamic number insertion", () => {
  const clock = fixedClock("2026-12-02T15:00:00Z");
  let t: TestContext;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;
  let poolKey: string;
  const POOL = ["+12125550301", "+12125550302", "+12125550303", "+12125550304", "+12125550305"];
  const DEFAULT = "+12125550300";

  const ask = (session: string, body: Record<string, unknown> = {}) =>
    supertest(t.app).post(`/api/dni/${poolKey}`).set("content-type", "text/plain").set("origin", "https://roofs.example.com").send(JSON.stringify({ session, ...body }));

  const session = () => randomBytes(12).toString("hex");

  async function call(to: string) {
    const callSid = `CA${randomBytes(16).toString("hex")}`;
    const res = await twilioPost(t, "/twilio/voice", { AccountSid: t.deps.twilio.accountSid, CallSid: callSid, From: "+12125557777", To: to, CallStatus: "ringing", Direction: "inbound" });
    expect(res.status).toBe(200);
    const r = await t.deps.db.execute(sql`select a.* from leads l join lead_attributions a on a.lead_id = l.id where l.call_sid = ${callSid}`);
    return r.rows[0] as Record<string, unknown> | undefined;
  }

  beforeAll(async () => {
    t = await createTestContext({ remix: false, clock });
    s = await setupIntakeClient(t.deps, { name: "Pool Roofing", contract: CALL_CONTRACT });
    const rows = await t.deps.db
      .insert(trackingNumbers)
      .values(POOL.map((phoneNumber) => ({ clientId: s.client.id, campaignId: s.campaign.id, phoneNumber, forwardTo: "+12125550111", record: false })))
      .returning();
    const pool = await t.deps.attribution.createPool(SYSTEM, { campaignId: s.campaign.id, name: "Landing pages", defaultNumber: DEFAULT, trackingNumberIds: rows.map((r) => r.id) });
    poolKey = pool.poolKey;
  });
  afterAll(() => t.close());

  it("never gives one number to two of 50 concurrent sessions on a 5-number pool, and counts the overflow", async () => {
    const sessions = Array.from({ length: 50 }, session);
    const answers = await Promise.all(sessions.map((id) => ask(id, { last: { params: { utm_term: `kw ${id}` } } })));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.headers["access-control-allow-origin"]).toBe("*");
      expect(a.headers["set-cookie"]).toBeUndefined();
    }
    const pooled = answers.filter((a) => a.body.pooled);
    expect(pooled).toHaveLength(5);
    expect(new Set(pooled.map((a) => a.body.number))).toEqual(new Set(POOL));
    expect(answers.filter((a) => !a.body.pooled).every((a) => a.body.number === DEFAULT && a.body.display === "(212) 555-0300")).toBe(true);
    const holders = await t.deps.db.execute(sql`select count(distinct session_id)::int as n from dni_pool_numbers where reserved_until > ${clock.now().toISOString()}`);
    expect((holders.rows[0] as { n: number }).n).toBe(5);
    const [pool] = await t.deps.attribution.listPools(SYSTEM, { clientId: s.client.id });
    expect(pool!.overflowCount).toBe(45);
  });

  it("extends a session's own reservation instead of taking a second number", async () => {
    const r = await t.deps.db.execute(sql`select session_id, t.phone_number from dni_pool_numbers n join tracking_numbers t on t.id = n.tracking_number_id order by t.phone_number limit 1`);
    const holder = r.rows[0] as { session_id: string; phone_number: string };
    clock.advance(10 * 60_000);
    const again = await ask(holder.session_id);
    expect(again.body).toMatchObject({ number: holder.phone_number, pooled: true, expiresIn: 1200 });
  });

  it("attributes a call to the session holding the number at ring time", async () => {
    const r = await t.deps.db.execute(sql`select t.phone_number, n.session_id from dni_pool_numbers n join tracking_numbers t on t.id = n.tracking_number_id order by t.phone_number limit 1`);
    const held = r.rows[0] as { phone_number: string; session_id: string };
    await ask(held.session_id, { first: { at: "2026-11-28T14:00:00Z", params: { utm_source: "google" } }, last: { params: { utm_source: "google", utm_term: "emergency roof repair", gclid: "CALL1" }, landingPage: "https://roofs.example.com/roof-repair" } });
    const a = await call(held.phone_number);
    expect(a).toMatchObject({ utm_term: "emergency roof repair", gclid: "CALL1", landing_page: "https://roofs.example.com/roof-repair", session_id: held.session_id, call_match: "session" });
  });

  it("attributes a call after the reservation expired to the campaign only, and frees the number for the next visitor", async () => {
    clock.advance(21 * 60_000);
    const a = await call(POOL[4]!);
    expect(a).toMatchObject({ call_match: "expired", utm_term: null, gclid: null });
    const next = await ask(session());
    expect(next.body.pooled).toBe(true);
  });

  it("answers bad requests with a 4xx, never a 500", async () => {
    expect((await supertest(t.app).post(`/api/dni/${poolKey}`).set("content-type", "text/plain").send("{not json")).status).toBe(422);
    expect((await supertest(t.app).post(`/api/dni/${poolKey}`).set("content-type", "text/plain").send(JSON.stringify({ session: "x" }))).status).toBe(422);
    expect((await supertest(t.app).post(`/api/dni/${poolKey}`).set("content-type", "image/png").send("x")).status).toBe(415);
    expect((await supertest(t.app).post(`/api/dni/nope-nope-nope`).set("content-type", "text/plain").send(JSON.stringify({ session: session() }))).status).toBe(404);
    expect((await supertest(t.app).post(`/api/dni/${"x".repeat(300)}`).set("content-type", "text/plain").send(JSON.stringify({ session: session() }))).status).toBe(404);
    const pre = await supertest(t.app).options(`/api/dni/${poolKey}`).set("origin", "https://roofs.example.com").set("access-control-request-method", "POST");
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe("*");
  });

  it("pool:create makes a pool from tracking numbers by phone number, and refuses a number already in a pool", async () => {
    await t.deps.db.insert(trackingNumbers).values({ clientId: s.client.id, campaignId: s.campaign.id, phoneNumber: "+12125550401", forwardTo: "+12125550111", record: false });
    const made = await commands["pool:create"]!.run(t.deps, { campaign: s.campaign.id, "default-number": DEFAULT, number: ["+1 (212) 555-0401"], name: "Second site" });
    expect(made.human).toMatch(/^created number pool "Second site" with 1 numbers, default \+12125550300; put data-pool="dp_[A-Za-z0-9_-]+" on the snippet's script tag/);
    await expect(commands["pool:create"]!.run(t.deps, { campaign: s.campaign.id, "default-number": DEFAULT, number: [POOL[0]!] })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("serves the snippet cacheable and loadable from other sites", async () => {
    const r = await supertest(t.app).get("/t.js");
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toMatch(/javascript/);
    expect(r.headers["cache-control"]).toMatch(/public, max-age=3600/);
    expect(r.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    const again = await supertest(t.app).get("/t.js").set("if-none-match", r.headers.etag!);
    expect(again.status).toBe(304);
  });
});
