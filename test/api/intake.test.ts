import { sql } from "drizzle-orm";
import supertest from "supertest";
import { createTestContext, type TestContext } from "../support/app";
import { count, GOOD_LEAD, setupIntakeClient } from "../support/fixtures";

describe("lead intake from forms and vendors", () => {
  let t: TestContext;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;
  const api = () => supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${s.key}`).set("content-type", "application/json");

  beforeAll(async () => {
    t = await createTestContext({ remix: false });
    s = await setupIntakeClient(t.deps);
  });
  afterAll(() => t.close());

  it("qualifies a good vendor lead, normalizes its contact and charges it once", async () => {
    const res = await api().send({ ...GOOD_LEAD, phone: "212-555-0100" });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ leadId: expect.any(String), status: "qualified", billable: true, reasons: [] });
    const r = await t.deps.db.execute(sql`select phone, email, zip, status, contract_version_id, raw_payload from leads where id = ${res.body.leadId}`);
    expect(r.rows[0]).toMatchObject({ phone: "+12125550100", email: "ann@example.com", zip: "10001", status: "qualified", contract_version_id: s.version.id });
    expect((r.rows[0] as { raw_payload: { email: string } }).raw_payload.email).toBe("Ann@Example.com ");
    expect(await count(t.deps, "ledger_entries", sql`idempotency_key = ${`lead_charge:${res.body.leadId}`} and amount_cents = 7500`)).toBe(1);
    expect(await count(t.deps, "outbox_events", sql`type = 'lead.qualified' and aggregate_id = ${res.body.leadId}`)).toBe(1);
  });

  it("rejects a lead from ZIP 94105 with a readable out-of-area reason and charges nothing", async () => {
    const res = await api().send({ ...GOOD_LEAD, phone: "212-555-0101", zip: "94105" });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("rejected");
    expect(res.body.reasons).toEqual([expect.objectContaining({ code: "OUT_OF_SERVICE_AREA", message: expect.stringContaining("94105") })]);
    expect(await count(t.deps, "ledger_entries", sql`lead_id = ${res.body.leadId}`)).toBe(0);
    expect(await count(t.deps, "outbox_events", sql`aggregate_id = ${res.body.leadId}`)).toBe(0);
  });

  it("rejects a repeat of the same phone within 30 days as a duplicate naming the earlier lead", async () => {
    const first = await api().send({ ...GOOD_LEAD, phone: "212-555-0102" });
    const again = await api().send({ ...GOOD_LEAD, name: "Ann S.", phone: "+1 212 555 0102" });
    expect(first.body.status).toBe("qualified");
    expect(again.body.status).toBe("rejected");
    const reason = again.body.reasons.find((r: { code: string }) => r.code === "DUPLICATE");
    expect(JSON.stringify(reason)).toContain(first.body.leadId);
  });

  it("rejects a lead without a phone, saying the phone is missing", async () => {
    const { phone: _p, ...noPhone } = GOOD_LEAD;
    const res = await api().send(noPhone);
    expect(res.body.status).toBe("rejected");
    expect(res.body.reasons).toEqual([expect.objectContaining({ code: "REQUIRED_FIELD_MISSING", message: expect.stringMatching(/phone/i) })]);
  });

  it("turns two identical leads posted at the same instant into one qualified lead and one duplicate", async () => {
    const body = { ...GOOD_LEAD, phone: "212-555-0177" };
    const results = await Promise.all([api().send(body), api().send(body), api().send(body)]);
    const statuses = results.map((r) => r.body.status).sort();
    expect(statuses).toEqual(["qualified", "rejected", "rejected"]);
    expect(await count(t.deps, "ledger_entries", sql`kind = 'lead_charge' and lead_id in (${sql.join(results.map((r) => sql`${r.body.leadId}::uuid`), sql`, `)})`)).toBe(1);
  });

  it("returns the first answer, same status and body, for a retry with the same Idempotency-Key", async () => {
    const body = { ...GOOD_LEAD, phone: "212-555-0188" };
    const first = await api().set("Idempotency-Key", "vendor-req-1").send(body);
    const retries = await Promise.all([1, 2, 3].map(() => api().set("Idempotency-Key", "vendor-req-1").send(body)));
    for (const r of retries) {
      expect(r.status).toBe(first.status);
      expect(r.body).toEqual(first.body);
      expect(r.headers["idempotent-replayed"]).toBe("true");
    }
    expect(await count(t.deps, "leads", sql`phone = '+12125550188'`)).toBe(1);
    const reused = await api().set("Idempotency-Key", "vendor-req-1").send({ ...body, name: "Someone Else" });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("answers a missing or wrong API key with 401 and JSON", async () => {
    const none = await supertest(t.app).post("/api/v1/leads").send(GOOD_LEAD);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("UNAUTHENTICATED");
    const wrong = await supertest(t.app).post("/api/v1/leads").set("Authorization", "Bearer ll_live_not-a-real-key-at-all").send(GOOD_LEAD);
    expect(wrong.status).toBe(401);
  });

  it("puts an API lead on a named campaign of the client, and refuses another client's campaign", async () => {
    const other = await setupIntakeClient(t.deps);
    const ok = await api().send({ ...GOOD_LEAD, phone: "212-555-0190", campaignId: s.campaign.id });
    expect(ok.status).toBe(201);
    const foreign = await api().send({ ...GOOD_LEAD, phone: "212-555-0191", campaignId: other.campaign.id });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.issues).toEqual([{ path: ["campaignId"], message: expect.any(String) }]);
  });

  it("answers wrong content types with 415 and bad shapes with 422 and field issues", async () => {
    const text = await supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${s.key}`).set("content-type", "text/plain").send("hello");
    expect(text.status).toBe(415);
    const arr = await api().send(JSON.stringify([1, 2]));
    expect(arr.status).toBe(422);
    const nested = await api().send({ phone: { nested: true } });
    expect(nested.status).toBe(422);
    expect(nested.body.error.issues[0].path).toEqual(["phone"]);
  });

  describe("web forms", () => {
    it("redirects a plain HTML form post from an allowed origin to the thank-you page (303) and records consent", async () => {
      const res = await supertest(t.app)
        .post(`/api/forms/${s.publicKey}`)
        .set("Origin", "https://roofs.example.com")
        .set("Accept", "text/html,application/xhtml+xml")
        .set("Referer", "https://roofs.example.com/free-quote")
        .set("User-Agent", "Mozilla/5.0 test")
        .type("form")
        .send({ ...GOOD_LEAD, phone: "212-555-0150" });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe("https://roofs.example.com/thanks");
      const r = await t.deps.db.execute(sql`select source, form_id, consent, status from leads where phone = '+12125550150'`);
      expect(r.rows[0]).toMatchObject({ source: "form", form_id: s.form.id, status: "qualified" });
      expect((r.rows[0] as { consent: Record<string, string> }).consent).toMatchObject({
        text: "I agree to be contacted about my request.",
        userAgent: "Mozilla/5.0 test",
        pageUrl: "https://roofs.example.com/free-quote",
        at: expect.any(String),
      });
    });

    it("answers a JSON caller with the lead id, status and reasons, with CORS for the allowed origin", async () => {
      const res = await supertest(t.app).post(`/api/forms/${s.publicKey}`).set("Origin", "https://roofs.example.com").send({ ...GOOD_LEAD, phone: "212-555-0151" });
      expect(res.status).toBe(201);
      expect(res.headers["access-control-allow-origin"]).toBe("https://roofs.example.com");
      expect(res.body).toMatchObject({ leadId: expect.any(String), status: "qualified", reasons: [] });
      const pre = await supertest(t.app).options(`/api/forms/${s.publicKey}`).set("Origin", "https://roofs.example.com").set("Access-Control-Request-Method", "POST");
      expect(pre.status).toBe(204);
      expect(pre.headers["access-control-allow-methods"]).toBe("POST");
    });

    it("refuses a disallowed origin with 403 and an unknown form key with 404", async () => {
      const bad = await supertest(t.app).post(`/api/forms/${s.publicKey}`).set("Origin", "https://evil.example.net").send(GOOD_LEAD);
      expect(bad.status).toBe(403);
      expect(bad.body.error.code).toBe("ORIGIN_NOT_ALLOWED");
      const unknown = await supertest(t.app).post("/api/forms/pk_doesnotexist").send(GOOD_LEAD);
      expect(unknown.status).toBe(404);
    });

    it("rejects a lead whose honeypot field was filled in", async () => {
      const res = await supertest(t.app).post(`/api/forms/${s.publicKey}`).send({ ...GOOD_LEAD, phone: "212-555-0152", website: "http://spam.example" });
      expect(res.body.status).toBe("rejected");
      expect(res.body.reasons.map((r: { code: string }) => r.code)).toContain("HONEYPOT_FILLED");
    });
  });

  it("keeps a lead whose fields carry a NUL character, storing U+FFFD in its place", async () => {
    const res = await api().send({ ...GOOD_LEAD, phone: "212-555-0177", name: "Ann\u0000Smith", "note\u0000": "x\u0000" });
    expect(res.status).toBe(201);
    const r = await t.deps.db.execute(sql`select name, raw_payload from leads where id = ${res.body.leadId}`);
    expect(r.rows[0]).toMatchObject({ name: "Ann\uFFFDSmith", raw_payload: expect.objectContaining({ "note\uFFFD": "x\uFFFD" }) });
  });
});
