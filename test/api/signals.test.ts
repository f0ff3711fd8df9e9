import { sql } from "drizzle-orm";
import supertest from "supertest";
import type { ContractDocumentInput } from "../../server/domain/contracts/contract-document";
import type { FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { createTestContext, fixedClock, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { count, setupIntakeClient } from "../support/fixtures";
import { startFakeTwilio, TEST_TWILIO_AUTH_TOKEN } from "../support/twilio";

const BASE: ContractDocumentInput = {
  effectiveFrom: "2026-01-01T00:00:00Z",
  qualification: { requiredFields: ["phone"] },
  pricing: { leadPriceCents: 7500 },
  disputes: { windowDays: 7 },
};
const NO_DISPOSABLE: ContractDocumentInput = { ...BASE, qualification: { ...BASE.qualification, signals: [{ signal: "email.disposable", op: "equals", value: false }] } };
const WRONG_NUMBER_ON_SIGNAL: ContractDocumentInput = {
  ...BASE,
  disputes: { windowDays: 7, approveOnSignals: [{ reason: "wrong_number", when: { signal: "phone.valid", op: "equals", value: false } }] },
};

describe("intake checks through the REST API", () => {
  let t: TestContext;
  let twilio: FakeTwilio;
  const clock = fixedClock("2026-03-02T15:00:00Z");
  let strict: Awaited<ReturnType<typeof setupIntakeClient>>;
  let lenient: Awaited<ReturnType<typeof setupIntakeClient>>;
  let returns: Awaited<ReturnType<typeof setupIntakeClient>>;
  const post = (key: string, body: Record<string, unknown>) => supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${key}`).send(body);

  beforeAll(async () => {
    twilio = await startFakeTwilio({ accountSid: "AC00000000000000000000000000000000", authToken: TEST_TWILIO_AUTH_TOKEN });
    t = await createTestContext({ clock, twilioApiBase: twilio.url, env: { INTAKE_SIGNALS: "true", SIGNALS_TIMEOUT_MS: "5000" } });
    strict = await setupIntakeClient(t.deps, { name: "Strict Roofing", contract: NO_DISPOSABLE });
    lenient = await setupIntakeClient(t.deps, { name: "Lenient Roofing", contract: BASE });
    returns = await setupIntakeClient(t.deps, { name: "Returns Roofing", contract: WRONG_NUMBER_ON_SIGNAL });
    await t.deps.users.create(SYSTEM, { email: "boss@returns.test", password: PASSWORD, role: "client_admin", clientId: returns.client.id });
  });
  afterAll(async () => {
    await t.close();
    await twilio.stop();
  });

  it("rejects a lead with a disposable e-mail under a contract that says so, with the reason in words", async () => {
    const res = await post(strict.key, { name: "Bo Gus", phone: "212-555-0142", email: "bo@mailinator.com", zip: "10001" });

    expect(res.status).toBe(201);
    expect(res.body.status).toBe("rejected");
    expect(res.body.reasons).toEqual([
      expect.objectContaining({
        code: "SIGNAL_RULE_FAILED",
        rule: "qualification.signals[0]",
        message: "The e-mail is at a disposable domain, but the contract requires that the e-mail is not at a disposable domain",
      }),
    ]);
    expect(res.body.quality).toMatchObject({ score: 70, band: "fair", summary: expect.stringContaining("E-mail: disposable") });
    expect(await count(t.deps, "ledger_entries", sql`lead_id = ${res.body.leadId}`)).toBe(0);
  });

  it("qualifies the same lead under a contract without the rule, keeping the signal as evidence", async () => {
    const res = await post(lenient.key, { name: "Bo Gus", phone: "212-555-0142", email: "bo@mailinator.com", zip: "10001" });

    expect(res.body.status).toBe("qualified");
    expect(res.body.reasons).toEqual([]);
    const row = (await t.deps.db.execute(sql`select quality_score, judgement_evidence -> 'input' -> 'signals' -> 'email' as email from leads where id = ${res.body.leadId}`)).rows[0];
    expect(row).toEqual({ quality_score: 70, email: { status: "checked", valid: true, disposable: true, role: false, domain: "mailinator.com" } });
  });

  it("approves a wrong_number dispute at once when the phone check at intake said the number is not valid", async () => {
    // The fake Lookup calls numbers ending in 0000 not valid; the contract has no phone rule, so the lead is charged.
    const lead = await post(returns.key, { name: "Ann Smith", phone: "212-555-0000", email: "ann@example.com", zip: "10001" });
    expect(lead.body).toMatchObject({ status: "qualified", billable: true });
    const boss = await loginAgent(t.app, "boss@returns.test");

    const res = await trpc(boss, "mutation", "disputes.open", { leadId: lead.body.leadId, reason: "wrong_number" });

    expect(res.status).toBe(200);
    expect(res.body.result.data.dispute).toMatchObject({
      status: "approved",
      creditCents: 7500,
      resolutionNote: 'Approved on evidence: at intake, the phone number is not a valid number; the contract approves "wrong_number" disputes when the phone number is not a valid number.',
    });
    expect(await count(t.deps, "ledger_entries", sql`kind = 'dispute_credit' and lead_id = ${lead.body.leadId} and amount_cents = -7500`)).toBe(1);
  });

  it("leaves a wrong_number dispute to the agency when the phone check found a working mobile", async () => {
    const lead = await post(returns.key, { name: "Cy Doe", phone: "212-555-0147", email: "cy@example.com", zip: "10001" });
    const boss = await loginAgent(t.app, "boss@returns.test");

    const res = await trpc(boss, "mutation", "disputes.open", { leadId: lead.body.leadId, reason: "wrong_number" });

    expect(res.body.result.data.dispute.status).toBe("open");
  });

  it("counts velocity per client: another client's leads from the same IP do not add to this one's", async () => {
    const body = (n: number) => ({ name: "Ip Test", phone: `212-555-03${n}`, email: `ip${n}@example.com`, zip: "10001", ip_address: "72.229.28.185" });
    await post(lenient.key, body(10));
    await post(lenient.key, body(11));
    const other = await post(strict.key, body(12));

    const v = (await t.deps.db.execute(sql`select judgement_evidence -> 'input' -> 'signals' -> 'velocity' as v, judgement_evidence -> 'input' -> 'signals' -> 'ip' as ip from leads where id = ${other.body.leadId}`)).rows[0] as { v: Record<string, number>; ip: Record<string, unknown> };
    expect(v.v).toMatchObject({ ipPerHour: 1, ipPerDay: 1 });
    expect(v.ip).toMatchObject({ country: "US", region: "NY", city: "New York", matchesZipState: true });
  });
});
