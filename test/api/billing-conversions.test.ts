import { sql } from "drizzle-orm";
import supertest from "supertest";
import { createTestContext, type TestContext } from "../support/app";
import { billingContract, billingLead, count, setupIntakeClient, submitTestLead } from "../support/fixtures";

type Setup = Awaited<ReturnType<typeof setupIntakeClient>>;

describe("POST /api/v1/leads/:leadId/conversion — the client's CRM reports won and lost deals", () => {
  let t: TestContext;
  let s: Setup;
  let other: Setup;
  let n = 0;
  const post = (leadId: string, body: unknown, key = s.key) =>
    supertest(t.app).post(`/api/v1/leads/${leadId}/conversion`).set("Authorization", `Bearer ${key}`).set("content-type", "application/json").send(JSON.stringify(body));
  const qualified = async (setup = s) => {
    const answer = await submitTestLead(t.deps, setup, billingLead(++n));
    expect(answer.status).toBe("qualified");
    return answer.leadId as string;
  };
  const entries = async (leadId: string) => {
    const r = await t.deps.db.execute(sql`select kind, amount_cents, idempotency_key from ledger_entries where lead_id = ${leadId} and kind <> 'lead_charge' order by created_at, idempotency_key`);
    return (r.rows as { kind: string; amount_cents: number; idempotency_key: string }[]).map((e) => [e.kind, e.amount_cents, e.idempotency_key]);
  };

  beforeAll(async () => {
    t = await createTestContext({ remix: false });
    s = await setupIntakeClient(t.deps, { contract: billingContract({ leadPriceCents: 7500, acquisitionPriceCents: 20_000, revshareBps: 1000 }) });
    other = await setupIntakeClient(t.deps, { contract: billingContract({ leadPriceCents: 5000, acquisitionPriceCents: 10_000 }) });
  });
  afterAll(() => t.close());

  it("charges the acquisition fee and 10 % of the deal once when a qualified lead is won", async () => {
    const leadId = await qualified();
    const res = await post(leadId, { outcome: "won", valueCents: 125_055 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ leadId, outcome: "won", valueCents: 125_055, changed: true });
    expect(await entries(leadId)).toEqual([
      ["acquisition_charge", 20_000, `acquisition_charge:${leadId}`],
      ["revshare_charge", 12_506, `revshare_charge:${leadId}`],
    ]);
    const lead = await t.deps.db.execute(sql`select outcome, outcome_value_cents, outcome_at from leads where id = ${leadId}`);
    const row = lead.rows[0] as { outcome: string; outcome_value_cents: number; outcome_at: string };
    expect(row).toMatchObject({ outcome: "won", outcome_value_cents: 125_055 });
    expect(new Date(row.outcome_at).toISOString()).toBe(res.body.outcomeAt);
    expect(await count(t.deps, "audit_events", sql`action = 'lead.outcome_marked' and entity_id = ${leadId}`)).toBe(1);
  });

  it("treats the same win posted again as a no-op: no new entries, no new audit event", async () => {
    const leadId = await qualified();
    await post(leadId, { outcome: "won", valueCents: 300_000 });
    const again = await post(leadId, { outcome: "won", valueCents: 300_000 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ changed: false, entries: [] });
    expect(await entries(leadId)).toHaveLength(2);
    expect(await count(t.deps, "audit_events", sql`action = 'lead.outcome_marked' and entity_id = ${leadId}`)).toBe(1);
  });

  it("turns ten identical posts at the same instant into exactly one set of charges", async () => {
    const leadId = await qualified();
    const results = await Promise.all(Array.from({ length: 10 }, () => post(leadId, { outcome: "won", valueCents: 1_000_000 })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.filter((r) => r.body.changed)).toHaveLength(1);
    expect(await entries(leadId)).toEqual([
      ["acquisition_charge", 20_000, `acquisition_charge:${leadId}`],
      ["revshare_charge", 100_000, `revshare_charge:${leadId}`],
    ]);
  });

  it("reverses the charges with adjustments when a won lead is marked lost, and charges the next seq when won again", async () => {
    const leadId = await qualified();
    await post(leadId, { outcome: "won", valueCents: 300_000 });
    const lost = await post(leadId, { outcome: "lost" });
    expect(lost.body).toMatchObject({ outcome: "lost", valueCents: null, changed: true });
    const rewon = await post(leadId, { outcome: "won", valueCents: 200_000 });
    expect(rewon.body.changed).toBe(true);
    expect(await entries(leadId)).toEqual([
      ["acquisition_charge", 20_000, `acquisition_charge:${leadId}`],
      ["revshare_charge", 30_000, `revshare_charge:${leadId}`],
      ["adjustment", -20_000, `reversal:acquisition_charge:${leadId}`],
      ["adjustment", -30_000, `reversal:revshare_charge:${leadId}`],
      ["acquisition_charge", 20_000, `acquisition_charge:${leadId}:1`],
      ["revshare_charge", 20_000, `revshare_charge:${leadId}:1`],
    ]);
    const memo = await t.deps.db.execute(sql`select memo from ledger_entries where idempotency_key = ${`reversal:revshare_charge:${leadId}`}`);
    expect((memo.rows[0] as { memo: string }).memo).toBe(`reversal of revshare_charge revshare_charge:${leadId}: lead marked lost`);
  });

  it("re-prices a win whose deal value changes: the old charges are reversed, the new ones use the next seq", async () => {
    const leadId = await qualified();
    await post(leadId, { outcome: "won", valueCents: 100_000 });
    await post(leadId, { outcome: "won", valueCents: 150_000 });
    const r = await t.deps.db.execute(sql`select coalesce(sum(amount_cents), 0)::int as net from ledger_entries where lead_id = ${leadId} and kind <> 'lead_charge'`);
    expect((r.rows[0] as { net: number }).net).toBe(20_000 + 15_000);
    expect(await count(t.deps, "ledger_entries", sql`idempotency_key = ${`revshare_charge:${leadId}:1`} and amount_cents = 15000`)).toBe(1);
  });

  it("records a lost lead without money and answers the same on a repeat", async () => {
    const leadId = await qualified();
    const first = await post(leadId, { outcome: "lost" });
    const again = await post(leadId, { outcome: "lost" });
    expect(first.body).toMatchObject({ outcome: "lost", changed: true, entries: [] });
    expect(again.body).toMatchObject({ outcome: "lost", changed: false });
    expect(await entries(leadId)).toEqual([]);
  });

  it("refuses to mark a rejected lead won with 422 LEAD_NOT_QUALIFIED, but accepts lost", async () => {
    const rejected = await submitTestLead(t.deps, s, { ...billingLead(++n), zip: "94105" });
    expect(rejected.status).toBe("rejected");
    const won = await post(rejected.leadId, { outcome: "won", valueCents: 5000 });
    expect(won.status).toBe(422);
    expect(won.body.error).toMatchObject({ code: "LEAD_NOT_QUALIFIED", message: expect.stringContaining("qualified") });
    expect((await post(rejected.leadId, { outcome: "lost" })).status).toBe(200);
    expect(await count(t.deps, "ledger_entries", sql`lead_id = ${rejected.leadId}`)).toBe(0);
  });

  it("requires the deal value to mark a lead won under a revenue-share contract", async () => {
    const leadId = await qualified();
    const res = await post(leadId, { outcome: "won" });
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toEqual([{ path: ["valueCents"], message: expect.any(String) }]);
    expect(await entries(leadId)).toEqual([]);
  });

  it("charges only the acquisition fee for a win without a value when the contract has no revenue share", async () => {
    const leadId = await qualified(other);
    const res = await post(leadId, { outcome: "won" }, other.key);
    expect(res.status).toBe(200);
    expect(await entries(leadId)).toEqual([["acquisition_charge", 10_000, `acquisition_charge:${leadId}`]]);
  });

  it("answers 404 for another client's lead and for an unknown lead, and charges nothing", async () => {
    const foreign = await qualified(other);
    const res = await post(foreign, { outcome: "won", valueCents: 1000 });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("LEAD_NOT_FOUND");
    expect(await entries(foreign)).toEqual([]);
    expect((await post("00000000-0000-4000-8000-000000000000", { outcome: "lost" })).status).toBe(404);
    expect((await post("not-a-uuid", { outcome: "lost" })).status).toBe(404);
  });

  it("answers 401 without a valid API key, 415 for a non-JSON body and 422 with issues for a bad body", async () => {
    const leadId = await qualified();
    const none = await supertest(t.app).post(`/api/v1/leads/${leadId}/conversion`).send({ outcome: "won" });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("UNAUTHENTICATED");
    const wrong = await post(leadId, { outcome: "won" }, "ll_live_definitely-not-a-key");
    expect(wrong.status).toBe(401);
    const text = await supertest(t.app).post(`/api/v1/leads/${leadId}/conversion`).set("Authorization", `Bearer ${s.key}`).set("content-type", "text/plain").send("won");
    expect(text.status).toBe(415);
    const badOutcome = await post(leadId, { outcome: "maybe" });
    expect(badOutcome.status).toBe(422);
    expect(badOutcome.body.error.issues[0].path).toEqual(["outcome"]);
    const fractional = await post(leadId, { outcome: "won", valueCents: 10.5 });
    expect(fractional.status).toBe(422);
    expect(fractional.body.error.issues[0].path).toEqual(["valueCents"]);
    const extra = await post(leadId, { outcome: "won", valueCents: 100, note: "hi" });
    expect(extra.status).toBe(422);
    expect(await entries(leadId)).toEqual([]);
  });
});
