import { sql } from "drizzle-orm";
import type supertest from "supertest";
import { disputesAutoApproveJob } from "../../jobs/disputes-auto-approve";
import type { JobContext } from "../../jobs/queue";
import { createTestContext, fixedClock, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { count, DISPUTE_CONTRACT, setupIntakeClient, submitTestLead } from "../support/fixtures";

const T0 = "2026-03-02T15:00:00Z"; // Monday Mar 2, 10:00 in New York
const DAY = 86_400_000;
const JOB_CTX: JobContext = { now: async () => undefined, schedule: async () => undefined, attempt: 1 };

type Agent = supertest.Agent;
type Setup = Awaited<ReturnType<typeof setupIntakeClient>>;

const data = (res: supertest.Response) => res.body.result.data;
const failure = (res: supertest.Response) => ({ status: res.status, code: res.body.error?.data?.domainCode as string | null, message: res.body.error?.message as string });

describe("disputes through tRPC with real sessions", () => {
  let t: TestContext;
  const clock = fixedClock(T0);
  let acme: Setup;
  let other: Setup;
  let capped: Setup;
  let phone = 100;

  const newLead = async (s: Setup = acme, extra: Record<string, unknown> = {}, via?: "form") =>
    (await submitTestLead(t.deps, s, { name: "Ann Smith", phone: `212-555-0${phone++}`, zip: "10001", ...extra }, { via })).leadId;
  const open = (agent: Agent, input: Record<string, unknown>) => trpc(agent, "mutation", "disputes.open", input);
  const creditEntries = (disputeId: string) => count(t.deps, "ledger_entries", sql`kind = 'dispute_credit' and dispute_id = ${disputeId}`);

  beforeAll(async () => {
    t = await createTestContext({ clock });
    acme = await setupIntakeClient(t.deps, { name: "Acme Roofing", contract: DISPUTE_CONTRACT });
    other = await setupIntakeClient(t.deps, { name: "Other Plumbing", contract: DISPUTE_CONTRACT });
    capped = await setupIntakeClient(t.deps, { name: "Capped Gutters", contract: { ...DISPUTE_CONTRACT, disputes: { ...DISPUTE_CONTRACT.disputes, maxReturnRateBps: 2000 } } });
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "staff@agency.test", password: PASSWORD, role: "agency_staff" });
    await t.deps.users.create(SYSTEM, { email: "boss@acme.test", password: PASSWORD, role: "client_admin", clientId: acme.client.id });
    await t.deps.users.create(SYSTEM, { email: "rep@acme.test", password: PASSWORD, role: "client_member", clientId: acme.client.id });
    await t.deps.users.create(SYSTEM, { email: "boss@other.test", password: PASSWORD, role: "client_admin", clientId: other.client.id });
    await t.deps.users.create(SYSTEM, { email: "boss@capped.test", password: PASSWORD, role: "client_admin", clientId: capped.client.id });
  });
  beforeEach(() => clock.set(T0));
  afterAll(() => t.close());

  it("opens a wrong_number dispute on a charged lead into the agency queue, with the lead's evidence beside it", async () => {
    const leadId = await newLead(acme, {}, "form");
    const client = await loginAgent(t.app, "boss@acme.test");

    const res = await open(client, { leadId, reason: "wrong_number", note: "The number belongs to a pharmacy." });

    expect(res.status).toBe(200);
    const dispute = data(res).dispute;
    expect(dispute).toMatchObject({ leadId, reason: "wrong_number", status: "open", creditCents: null, dueAt: new Date(Date.parse(T0) + 3 * DAY).toISOString() });
    const agency = await loginAgent(t.app, "staff@agency.test");
    const queue = data(await trpc(agency, "query", "disputes.list", { clientId: acme.client.id, status: "open", limit: 100 })).items;
    expect(queue.map((d: { id: string }) => d.id)).toContain(dispute.id);
    const detail = data(await trpc(agency, "query", "disputes.get", { id: dispute.id }));
    expect(detail.lead).toMatchObject({
      id: leadId,
      status: "qualified",
      rawPayload: { phone: expect.stringMatching(/^212-555-0/) },
      consent: { ip: "203.0.113.7", pageUrl: "https://roofs.example.com/quote", text: "I agree to be contacted about my request." },
      verdict: { qualified: true, reasons: [] },
      charges: [expect.objectContaining({ kind: "lead_charge", amountCents: 7500 })],
      recordingUrl: null,
    });
    expect(detail.terms).toMatchObject({ windowDays: 7, agencyResponseDays: 3, reasons: expect.arrayContaining(["wrong_number"]) });
    expect(detail.timeline).toEqual([expect.objectContaining({ action: "dispute.opened", actor: "boss@acme.test", before: null, after: expect.objectContaining({ status: "open" }) })]);
  });

  it("sorts the agency queue by deadline, soonest first", async () => {
    const client = await loginAgent(t.app, "boss@acme.test");
    const first = data(await open(client, { leadId: await newLead(), reason: "not_looking" })).dispute;
    clock.advance(3_600_000);
    const second = data(await open(client, { leadId: await newLead(), reason: "not_looking" })).dispute;
    const agency = await loginAgent(t.app, "staff@agency.test");

    const queue = data(await trpc(agency, "query", "disputes.list", { clientId: acme.client.id, reason: "not_looking", status: "open", limit: 100 })).items;

    const ids = queue.map((d: { id: string }) => d.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    const dues = queue.map((d: { dueAt: string }) => Date.parse(d.dueAt));
    expect([...dues].sort((a, b) => a - b)).toEqual(dues);
  });

  it("approves a reason the contract auto-approves at once, with a negative credit entry equal to the charge", async () => {
    const leadId = await newLead();
    const client = await loginAgent(t.app, "rep@acme.test");

    const res = await open(client, { leadId, reason: "spam" });

    const dispute = data(res).dispute;
    expect(dispute).toMatchObject({ status: "auto_approved", creditCents: 7500, resolutionNote: expect.stringContaining('contract approves "spam"') });
    const entries = await t.deps.db.execute(
      sql`select e.id, e.amount_cents, e.lead_id, e.campaign_id, e.dispute_id, e.period, e.idempotency_key, ie.invoice_id
          from ledger_entries e left join invoice_entries ie on ie.ledger_entry_id = e.id where e.kind = 'dispute_credit' and e.lead_id = ${leadId}`,
    );
    expect(entries.rows).toEqual([
      { id: dispute.creditEntryId, amount_cents: -7500, lead_id: leadId, campaign_id: acme.campaign.id, dispute_id: dispute.id, period: "2026-03", idempotency_key: `dispute_credit:${dispute.id}`, invoice_id: null },
    ]);
  });

  it("refuses a dispute on an 8-day-old lead under a 7-day window, saying when the window closed", async () => {
    const leadId = await newLead();
    clock.advance(8 * DAY);
    const client = await loginAgent(t.app, "boss@acme.test");

    const res = await open(client, { leadId, reason: "wrong_number" });

    expect(failure(res)).toEqual({ status: 422, code: "DISPUTE_WINDOW_CLOSED", message: "Disputes for this lead closed on Mar 9 (7-day window)." });
    expect(await count(t.deps, "disputes", sql`lead_id = ${leadId}`)).toBe(0);
  });

  it("still accepts a dispute on the window's last day", async () => {
    const leadId = await newLead();
    clock.advance(7 * DAY - 60_000);
    const client = await loginAgent(t.app, "boss@acme.test");

    const res = await open(client, { leadId, reason: "wrong_number" });

    expect(res.status).toBe(200);
    expect(data(res).dispute.status).toBe("open");
  });

  it("credits half the charge on a 50% partial approval and shows the client the outcome and the note", async () => {
    const leadId = await newLead();
    const client = await loginAgent(t.app, "boss@acme.test");
    const dispute = data(await open(client, { leadId, reason: "wrong_number" })).dispute;
    const agency = await loginAgent(t.app, "staff@agency.test");

    const res = await trpc(agency, "mutation", "disputes.resolve", { disputeId: dispute.id, decision: "partial", percentBps: 5000, note: "The number reached a relative; half credit." });

    expect(res.status).toBe(200);
    expect(data(res)).toMatchObject({ status: "partially_approved", creditCents: 3750 });
    expect(await count(t.deps, "ledger_entries", sql`kind = 'dispute_credit' and dispute_id = ${dispute.id} and amount_cents = -3750`)).toBe(1);
    const seen = data(await trpc(client, "query", "disputes.get", { id: dispute.id }));
    expect(seen).toMatchObject({ status: "partially_approved", creditCents: 3750, resolutionNote: "The number reached a relative; half credit.", resolvedBy: "staff@agency.test", decision: { outcome: "partial" } });
    const mine = data(await trpc(client, "query", "disputes.list", { limit: 100 })).items.find((d: { id: string }) => d.id === dispute.id);
    expect(mine).toMatchObject({ status: "partially_approved", dueAt: dispute.dueAt, resolutionNote: "The number reached a relative; half credit." });
    expect(seen.timeline.map((e: { action: string }) => e.action)).toEqual(["dispute.opened", "dispute.partially_approved"]);
    expect(seen.timeline[1]).toMatchObject({ actor: "staff@agency.test", before: { status: "open" }, after: { status: "partially_approved", creditCents: 3750 } });
  });

  it("requires a note to reject or partially approve, and one way to size a partial credit", async () => {
    const client = await loginAgent(t.app, "boss@acme.test");
    const dispute = data(await open(client, { leadId: await newLead(), reason: "wrong_number" })).dispute;
    const agency = await loginAgent(t.app, "staff@agency.test");

    const reject = await trpc(agency, "mutation", "disputes.resolve", { disputeId: dispute.id, decision: "reject" });
    const both = await trpc(agency, "mutation", "disputes.resolve", { disputeId: dispute.id, decision: "partial", percentBps: 5000, amountCents: 100, note: "x" });

    expect(failure(reject)).toMatchObject({ status: 400, code: "VALIDATION_FAILED", message: expect.stringContaining("note is required") });
    expect(failure(both)).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    expect(data(await trpc(agency, "query", "disputes.get", { id: dispute.id })).status).toBe("open");
  });

  it("rejects with a note and no credit", async () => {
    const client = await loginAgent(t.app, "boss@acme.test");
    const dispute = data(await open(client, { leadId: await newLead(), reason: "not_looking" })).dispute;
    const agency = await loginAgent(t.app, "admin@agency.test");

    const res = await trpc(agency, "mutation", "disputes.resolve", { disputeId: dispute.id, decision: "reject", note: "The call recording shows a roof quote request." });

    expect(data(res)).toMatchObject({ status: "rejected", creditCents: null, creditEntryId: null });
    expect(await creditEntries(dispute.id)).toBe(0);
  });

  it("auto-approves with full credit once the agency deadline passes, and a second run changes nothing", async () => {
    const client = await loginAgent(t.app, "boss@acme.test");
    const dispute = data(await open(client, { leadId: await newLead(), reason: "wrong_number" })).dispute;
    clock.advance(3 * DAY - 60_000);
    await disputesAutoApproveJob.handler(t.deps, {}, JOB_CTX);
    const before = data(await trpc(client, "query", "disputes.get", { id: dispute.id }));

    clock.advance(2 * 60_000);
    await disputesAutoApproveJob.handler(t.deps, {}, JOB_CTX);
    await disputesAutoApproveJob.handler(t.deps, {}, JOB_CTX);

    expect(before.status).toBe("open");
    const after = data(await trpc(await loginAgent(t.app, "boss@acme.test"), "query", "disputes.get", { id: dispute.id }));
    expect(after).toMatchObject({ status: "auto_approved", creditCents: 7500, resolvedBy: "system:disputes.auto-approve" });
    expect(await count(t.deps, "ledger_entries", sql`kind = 'dispute_credit' and dispute_id = ${dispute.id} and amount_cents = -7500`)).toBe(1);
    expect(await count(t.deps, "audit_events", sql`entity_id = ${dispute.id} and action = 'dispute.auto_approved'`)).toBe(1);
  });

  it("lets concurrent decisions on one dispute produce one outcome and one credit", async () => {
    const client = await loginAgent(t.app, "boss@acme.test");
    const dispute = data(await open(client, { leadId: await newLead(), reason: "wrong_number" })).dispute;
    const admin = await loginAgent(t.app, "admin@agency.test");
    const staff = await loginAgent(t.app, "staff@agency.test");

    const results = await Promise.all([
      trpc(admin, "mutation", "disputes.resolve", { disputeId: dispute.id, decision: "approve" }),
      trpc(staff, "mutation", "disputes.resolve", { disputeId: dispute.id, decision: "approve" }),
      trpc(admin, "mutation", "disputes.resolve", { disputeId: dispute.id, decision: "approve" }),
      trpc(admin, "mutation", "disputes.bulkApprove", { disputeIds: [dispute.id] }),
    ]);

    const resolved = results.slice(0, 3);
    const bulk = data(results[3]!);
    expect(resolved.filter((r) => r.status === 200).length + bulk.approved.length).toBe(1);
    expect(resolved.filter((r) => r.status !== 200).map((r) => failure(r))).toEqual(resolved.filter((r) => r.status !== 200).map(() => expect.objectContaining({ status: 409, code: "INVALID_TRANSITION" })));
    expect(await creditEntries(dispute.id)).toBe(1);
    expect(await count(t.deps, "audit_events", sql`entity_id = ${dispute.id} and action = 'dispute.approved'`)).toBe(1);
  });

  it("turns a double submit into one dispute, with the same requestKey or from the same person at once", async () => {
    const client = await loginAgent(t.app, "boss@acme.test");
    const keyed = await newLead();
    const unkeyed = await newLead();

    const withKey = await Promise.all([1, 2, 3].map(() => open(client, { leadId: keyed, reason: "not_looking", requestKey: "dispute-form-7f3a" })));
    const withoutKey = await Promise.all([1, 2, 3].map(() => open(client, { leadId: unkeyed, reason: "not_looking", note: "Said they never asked." })));

    for (const batch of [withKey, withoutKey]) {
      expect(batch.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(new Set(batch.map((r) => data(r).dispute.id)).size).toBe(1);
      expect(batch.filter((r) => data(r).replayed === false)).toHaveLength(1);
    }
    expect(await count(t.deps, "disputes", sql`lead_id in (${keyed}::uuid, ${unkeyed}::uuid)`)).toBe(2);
  });

  it("refuses a second dispute while one is open on the lead", async () => {
    const leadId = await newLead();
    await open(await loginAgent(t.app, "boss@acme.test"), { leadId, reason: "wrong_number" });

    const res = await open(await loginAgent(t.app, "rep@acme.test"), { leadId, reason: "out_of_area" });

    expect(failure(res)).toMatchObject({ status: 409, code: "DISPUTE_ALREADY_OPEN", message: expect.stringContaining("already has an open dispute") });
  });

  it("refuses a lead that was never charged, a reason outside the contract and `other` without a note", async () => {
    const client = await loginAgent(t.app, "boss@acme.test");
    const rejected = await newLead(acme, { zip: "94105" });
    const charged = await newLead();

    const notCharged = await open(client, { leadId: rejected, reason: "wrong_number" });
    const badReason = await open(client, { leadId: charged, reason: "too_expensive" });
    const bareOther = await open(client, { leadId: charged, reason: "other" });

    expect(failure(notCharged)).toMatchObject({ status: 422, code: "LEAD_NOT_CHARGED" });
    expect(failure(badReason)).toMatchObject({ status: 400, code: "VALIDATION_FAILED", message: expect.stringContaining("wrong_number, out_of_area, duplicate, spam, not_looking, other") });
    expect(failure(bareOther)).toMatchObject({ status: 400, code: "VALIDATION_FAILED", message: expect.stringContaining('A note is required when the reason is "other"') });
    expect((await open(client, { leadId: charged, reason: "other", note: "Caller wanted a different company." })).status).toBe(200);
  });

  it("refuses a dispute that would push the period's return rate over the contract's cap, naming the numbers", async () => {
    const leads = [];
    for (let i = 0; i < 5; i++) leads.push(await newLead(capped));
    const client = await loginAgent(t.app, "boss@capped.test");

    const first = await open(client, { leadId: leads[0], reason: "wrong_number" });
    const second = await open(client, { leadId: leads[1], reason: "wrong_number" });

    expect(first.status).toBe(200);
    expect(failure(second)).toEqual({
      status: 422,
      code: "RETURN_RATE_EXCEEDED",
      message: "This dispute would raise the return rate for March 2026 to 2 of 5 billable leads (40%), above the contract's maximum of 20%.",
    });
  });

  it("lets the client withdraw its own open dispute, after which the agency cannot decide it", async () => {
    const client = await loginAgent(t.app, "rep@acme.test");
    const dispute = data(await open(client, { leadId: await newLead(), reason: "wrong_number" })).dispute;

    const res = await trpc(client, "mutation", "disputes.withdraw", { id: dispute.id });
    const late = await trpc(await loginAgent(t.app, "staff@agency.test"), "mutation", "disputes.resolve", { disputeId: dispute.id, decision: "approve" });

    expect(data(res)).toMatchObject({ status: "withdrawn", creditCents: null });
    expect(failure(late)).toMatchObject({ status: 409, code: "INVALID_TRANSITION", message: expect.stringContaining("already withdrawn") });
  });

  it("keeps another client's disputes out of reach (404) and decisions out of client hands (403)", async () => {
    const leadId = await newLead();
    const acmeUser = await loginAgent(t.app, "boss@acme.test");
    const dispute = data(await open(acmeUser, { leadId, reason: "wrong_number" })).dispute;
    const stranger = await loginAgent(t.app, "boss@other.test");
    const staff = await loginAgent(t.app, "staff@agency.test");

    expect(failure(await open(stranger, { leadId, reason: "spam" }))).toMatchObject({ status: 404, code: "LEAD_NOT_FOUND" });
    expect((await trpc(stranger, "query", "disputes.get", { id: dispute.id })).status).toBe(404);
    expect((await trpc(stranger, "mutation", "disputes.withdraw", { id: dispute.id })).status).toBe(404);
    expect((await trpc(stranger, "query", "disputes.list", { clientId: acme.client.id, limit: 100 })).status).toBe(404);
    const visible = data(await trpc(stranger, "query", "disputes.list", { limit: 100 })).items;
    expect(visible.every((d: { clientId: string }) => d.clientId === other.client.id)).toBe(true);
    expect((await trpc(acmeUser, "mutation", "disputes.resolve", { disputeId: dispute.id, decision: "approve" })).status).toBe(403);
    expect((await trpc(stranger, "mutation", "disputes.resolve", { disputeId: dispute.id, decision: "approve" })).status).toBe(403);
    expect((await trpc(acmeUser, "mutation", "disputes.bulkApprove", { disputeIds: [dispute.id] })).status).toBe(403);
    expect((await trpc(staff, "mutation", "disputes.bulkApprove", { disputeIds: [dispute.id] })).status).toBe(403);
    expect((await trpc(staff, "mutation", "disputes.open", { leadId, reason: "spam" })).status).toBe(403);
    expect(data(await trpc(staff, "query", "disputes.get", { id: dispute.id })).status).toBe("open");
  });

  it("bulk-approves open disputes for an agency admin and reports the ones it skipped", async () => {
    const client = await loginAgent(t.app, "boss@acme.test");
    const a = data(await open(client, { leadId: await newLead(), reason: "wrong_number" })).dispute;
    const b = data(await open(client, { leadId: await newLead(), reason: "out_of_area" })).dispute;
    const done = data(await open(client, { leadId: await newLead(), reason: "spam" })).dispute;
    const admin = await loginAgent(t.app, "admin@agency.test");

    const res = await trpc(admin, "mutation", "disputes.bulkApprove", { disputeIds: [a.id, b.id, done.id] });

    expect(data(res)).toEqual({ approved: [a.id, b.id], skipped: [expect.objectContaining({ id: done.id, code: "INVALID_TRANSITION" })] });
    for (const d of [a, b]) {
      expect(data(await trpc(admin, "query", "disputes.get", { id: d.id }))).toMatchObject({ status: "approved", creditCents: 7500 });
    }
  });

  it("reports the dispute rate by campaign, source and reason", async () => {
    const stats = await setupIntakeClient(t.deps, { name: "Stats Siding", contract: DISPUTE_CONTRACT });
    await t.deps.users.create(SYSTEM, { email: "boss@stats.test", password: PASSWORD, role: "client_admin", clientId: stats.client.id });
    const leads = [];
    for (let i = 0; i < 4; i++) leads.push(await newLead(stats));
    await newLead(stats, { zip: "94105" }); // rejected: not billable, not in the denominator
    const client = await loginAgent(t.app, "boss@stats.test");
    await open(client, { leadId: leads[0], reason: "wrong_number" });
    const withdrawn = data(await open(client, { leadId: leads[1], reason: "not_looking" })).dispute;
    await trpc(client, "mutation", "disputes.withdraw", { id: withdrawn.id });
    const agency = await loginAgent(t.app, "admin@agency.test");
    const range = { from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z" };

    const res = await trpc(agency, "query", "disputes.stats", { ...range, clientId: stats.client.id });

    expect(data(res)).toMatchObject({
      totals: { disputes: 1, billableLeads: 4, rateBps: 2500 },
      byCampaign: [{ campaignId: stats.campaign.id, disputes: 1, billableLeads: 4, rateBps: 2500 }],
      bySource: [{ source: "api", disputes: 1, billableLeads: 4, rateBps: 2500 }],
      byReason: [{ reason: "wrong_number", disputes: 1, billableLeads: 4, rateBps: 2500 }],
    });
    const stranger = await loginAgent(t.app, "boss@other.test");
    expect((await trpc(stranger, "query", "disputes.stats", { ...range, clientId: stats.client.id })).status).toBe(404);
    const own = data(await trpc(stranger, "query", "disputes.stats", range));
    expect(own.clientId).toBe(other.client.id);
    expect(own.totals.disputes).toBe(0);
  });
});
