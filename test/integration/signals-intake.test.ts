import { sql } from "drizzle-orm";
import supertest from "supertest";
import type { ContractDocumentInput } from "../../server/domain/contracts/contract-document";
import { forgetCachedLookups } from "../../server/db/repositories/signals";
import type { FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { createTestContext, fixedClock, SYSTEM, type TestContext } from "../support/app";
import { count, setupIntakeClient } from "../support/fixtures";
import { startFakeTrustedForm, type FakeTrustedForm } from "../support/trustedform";
import { startFakeTwilio, TEST_TWILIO_AUTH_TOKEN } from "../support/twilio";

const CONTRACT: ContractDocumentInput = {
  effectiveFrom: "2026-01-01T00:00:00Z",
  qualification: {
    requiredFields: ["phone"],
    signals: [
      { signal: "phone.lineType", op: "in", value: ["mobile", "landline"] },
      { signal: "velocity.ipPerHour", op: "max", value: 3 },
    ],
  },
  pricing: { leadPriceCents: 5000 },
};
const CERT = "0123456789abcdef0123456789abcdef01234567";

type Signals = { phone: Record<string, unknown>; velocity: Record<string, number | null>; consent: Record<string, unknown> };

describe("intake checks against a real database, the fake Twilio Lookup and a fake TrustedForm", () => {
  let t: TestContext;
  let twilio: FakeTwilio;
  let tf: FakeTrustedForm;
  const clock = fixedClock("2026-03-02T15:00:30Z");
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;
  const post = (body: Record<string, unknown>, key = s.key) => supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${key}`).send(body);
  const signalsOf = async (leadId: string) =>
    ((await t.deps.db.execute(sql`select judgement_evidence -> 'input' -> 'signals' as s from leads where id = ${leadId}`)).rows[0] as { s: Signals }).s;

  beforeAll(async () => {
    twilio = await startFakeTwilio({ accountSid: "AC00000000000000000000000000000000", authToken: TEST_TWILIO_AUTH_TOKEN });
    tf = await startFakeTrustedForm("tf-test-key-123");
    t = await createTestContext({
      remix: false,
      clock,
      twilioApiBase: twilio.url,
      env: { INTAKE_SIGNALS: "true", SIGNALS_TIMEOUT_MS: "2000", TRUSTEDFORM_API_KEY: "tf-test-key-123", TRUSTEDFORM_API_BASE: tf.url },
    });
    s = await setupIntakeClient(t.deps, { name: "Velocity Roofing", contract: CONTRACT });
  });
  afterEach(() => {
    twilio.lookupLatencyMs = 0;
  });
  afterAll(async () => {
    await t.close();
    await twilio.stop();
    await tf.stop();
  });

  it("counts 50 concurrent leads from one IP exactly: each sees a different count, 1 to 50", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post({ name: "Bot", phone: `+1212555${String(1000 + i).padStart(4, "0")}`, email: `b${i}@example.com`, ip_address: "98.116.0.1" })),
    );

    expect(results.every((r) => r.status === 201)).toBe(true);
    const seen = await Promise.all(results.map(async (r) => (await signalsOf(r.body.leadId)).velocity));
    expect(seen.map((v) => v.ipPerHour).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(seen.map((v) => v.ipPerDay).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // The rule allows 3 per hour: exactly the first three qualified, the other 47 say why in words.
    expect(results.filter((r) => r.body.status === "qualified")).toHaveLength(3);
    const rejected = results.find((r) => r.body.status === "rejected")!;
    const velocity = rejected.body.reasons.find((r: { rule: string }) => r.rule === "qualification.signals[1]");
    expect(velocity.message).toMatch(/^\d+ leads from the same IP in an hour, but the contract requires that at most 3 leads from the same IP in an hour$/);
    const counters = await t.deps.db.execute(sql`select sum(leads)::int as n from velocity_counters where key like ${`l|${s.client.id}|ip|98.116.0.1|%`}`);
    expect(counters.rows[0]).toEqual({ n: 100 });
  });

  it("looks a number up once and reuses the answer, from memory and from the table", async () => {
    const phone = "+12125556676";
    const first = await post({ name: "Ann", phone, email: "ann@example.com" });
    const second = await post({ name: "Ann", phone, email: "ann2@example.com" });
    forgetCachedLookups();
    const third = await post({ name: "Ann", phone, email: "ann3@example.com" });

    expect(twilio.lookups.filter((n) => n === phone)).toHaveLength(1);
    expect((await signalsOf(first.body.leadId)).phone).toEqual({ status: "checked", valid: true, lineType: "mobile", carrier: "Verizon Wireless" });
    expect((await signalsOf(second.body.leadId)).phone).toMatchObject({ status: "checked", lineType: "mobile", cached: true });
    expect((await signalsOf(third.body.leadId)).phone).toMatchObject({ status: "checked", lineType: "mobile", cached: true });
    expect(await count(t.deps, "phone_lookups", sql`phone = ${phone} and line_type = 'mobile'`)).toBe(1);
  });

  it("judges a lead without the phone check when the lookup times out, stores it, and says so in the verdict", async () => {
    twilio.lookupLatencyMs = 6_000;
    const res = await post({ name: "Slow", phone: "+12125557788", email: "slow@example.com", ip_address: "96.224.0.1" });

    expect(res.status).toBe(201);
    expect(res.body.status).toBe("qualified");
    expect(res.body.reasons).toEqual([
      expect.objectContaining({ code: "SIGNAL_UNAVAILABLE", effect: "info", message: 'Phone check unavailable: the rule "the phone line type is mobile or landline" was not applied' }),
    ]);
    expect(res.body.quality.summary).toContain("Phone: phone check unavailable");
    expect(await count(t.deps, "leads", sql`id = ${res.body.leadId} and status = 'qualified'`)).toBe(1);
    expect(await count(t.deps, "ledger_entries", sql`lead_id = ${res.body.leadId} and kind = 'lead_charge'`)).toBe(1);
  });

  it("rejects an internet VoIP number under a mobile-or-landline rule, naming the line type in words", async () => {
    const res = await post({ name: "Voip", phone: "+12125553333", email: "voip@example.com" });

    expect(res.body.status).toBe("rejected");
    expect(res.body.reasons[0].message).toBe(
      "The phone line type is internet (VoIP) number, but the contract requires that the phone line type is mobile or landline",
    );
  });

  it("stops paying for lookups at the client's daily budget, and not at all when lookups are off", async () => {
    const other = await setupIntakeClient(t.deps, { name: "Budget Roofing", contract: CONTRACT });
    await t.deps.db.execute(sql`update clients set phone_lookup_daily_budget = 1 where id = ${other.client.id}`);
    const a = await post({ name: "A", phone: "+13125550101" }, other.key);
    const b = await post({ name: "B", phone: "+13125550102" }, other.key);
    await t.deps.clients.update(SYSTEM, { id: other.client.id, phoneLookupEnabled: false });
    const c = await post({ name: "C", phone: "+13125550103" }, other.key);

    expect((await signalsOf(a.body.leadId)).phone.status).toBe("checked");
    expect((await signalsOf(b.body.leadId)).phone.status).toBe("budget_spent");
    expect((await signalsOf(c.body.leadId)).phone.status).toBe("off");
    expect(twilio.lookups).toContain("+13125550101");
    expect(twilio.lookups).not.toContain("+13125550102");
    expect(b.body.reasons[0].message).toBe('Phone not checked (the daily lookup budget is spent): the rule "the phone line type is mobile or landline" was not applied');
  });

  it("claims a TrustedForm certificate and keeps TrustedForm's answer; an unknown one is evidence too", async () => {
    tf.addCertificate(CERT, { created_at: "2026-03-02T14:59:00Z", ip: "98.116.0.9", page_url: "https://roofs.example.com/quote" });
    const good = await post({ name: "Tf", phone: "+12125558801", xxTrustedFormCertUrl: `https://cert.trustedform.com/${CERT}`, universal_leadid: "3F2504E0-4F89-11D3-9A0C-0305E82C3301" });
    const bad = await post({ name: "Tf", phone: "+12125558802", xxTrustedFormCertUrl: `https://cert.trustedform.com/${"f".repeat(40)}` });

    expect((await signalsOf(good.body.leadId)).consent).toEqual({
      trustedFormCertUrl: `https://cert.trustedform.com/${CERT}`,
      jornayaLeadId: "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
      claim: { status: "verified", createdAt: "2026-03-02T14:59:00Z", expiresAt: null, ip: "98.116.0.9", pageUrl: "https://roofs.example.com/quote" },
    });
    expect((await signalsOf(bad.body.leadId)).consent.claim).toEqual({ status: "failed", detail: "certificate not found" });
    expect(bad.body.quality.summary).toContain("TrustedForm certificate failed its check");
    expect(tf.claims).toEqual([CERT, "f".repeat(40)]);
  });

  it("replays a verdict judged on signals exactly from what was stored (lead:explain)", async () => {
    const res = await post({ name: "Replay", phone: "+12125553333", email: "info@mailinator.com", ip_address: "81.2.69.142" });

    const explained = await t.deps.leads.explain(SYSTEM, res.body.leadId);

    expect(explained.agree).toBe(true);
    expect(explained.replayed).toEqual(explained.stored);
    expect(explained.stored!.quality).toMatchObject({ score: 5, band: "poor" });
  });
});
