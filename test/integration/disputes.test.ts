import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { disputesAutoApproveJob } from "../../jobs/disputes-auto-approve";
import type { JobContext } from "../../jobs/queue";
import { jobRegistry } from "../../jobs/registry";
import type { Actor } from "../../server/domain/auth/roles";
import { outcomeCaller } from "../../server/domain/billing/mark-outcome";
import { DomainError } from "../../server/domain/errors";
import { createTestContext, fixedClock, PASSWORD, SYSTEM, type TestContext } from "../support/app";
import { count, DISPUTE_CONTRACT, setupIntakeClient, submitTestLead } from "../support/fixtures";

const T0 = "2026-03-02T15:00:00Z";
const DAY = 86_400_000;
const JOB_CTX: JobContext = { now: async () => undefined, schedule: async () => undefined, attempt: 1 };
type Setup = Awaited<ReturnType<typeof setupIntakeClient>>;

async function domainError(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError");
}

describe("dispute use cases against PostgreSQL", () => {
  let t: TestContext;
  const clock = fixedClock(T0);
  let s: Setup;
  let client: Actor;
  const agency: Actor = { kind: "agency", userId: randomUUID(), email: "staff@agency.test", role: "agency_staff" };
  let phone = 500;

  const newLead = async (extra: Record<string, unknown> = {}, setup: Setup = s) =>
    (await submitTestLead(t.deps, setup, { name: "Ann Smith", phone: `212-555-0${phone++}`, zip: "10001", ...extra })).leadId;
  const credits = async (leadId: string) =>
    (await t.deps.db.execute(sql`select amount_cents, period from ledger_entries where kind = 'dispute_credit' and lead_id = ${leadId} order by created_at`)).rows as {
      amount_cents: number;
      period: string;
    }[];
  const appendEntry = (e: { kind: string; amountCents: number; leadId: string; key: string }) =>
    t.deps.db.execute(sql`insert into ledger_entries (client_id, kind, amount_cents, lead_id, campaign_id, period, idempotency_key, actor)
      values (${s.client.id}, ${e.kind}, ${e.amountCents}, ${e.leadId}, ${s.campaign.id}, '2026-03', ${e.key}, 'test')`);

  beforeAll(async () => {
    t = await createTestContext({ remix: false, clock });
    s = await setupIntakeClient(t.deps, {
      name: "Evidence Roofing",
      contract: { ...DISPUTE_CONTRACT, pricing: { leadPriceCents: 7500, acquisitionPriceCents: 20000 }, disputes: { windowDays: 7, autoApprove: [], agencyResponseDays: 3 } },
    });
    const user = await t.deps.users.create(SYSTEM, { email: "boss@evidence.test", password: PASSWORD, role: "client_admin", clientId: s.client.id });
    client = { kind: "client", userId: user.id, email: user.email, role: "client_admin", clientId: s.client.id };
  });
  beforeEach(() => clock.set(T0));
  afterAll(() => t.close());

  it("approves a duplicate dispute on evidence when an earlier lead shares the e-mail, citing that lead", async () => {
    const earlier = await newLead({ email: "pat@example.com" });
    clock.advance(DAY);
    const later = await newLead({ email: "Pat@Example.com" }); // qualified: the contract's duplicate rule looks at phones only

    const { dispute } = await t.deps.disputes.open(client, { leadId: later, reason: "duplicate" });

    expect(dispute).toMatchObject({ status: "approved", creditCents: 7500, resolvedBy: "system:dispute-rules" });
    expect(dispute.resolutionNote).toContain(`lead ${earlier}`);
    expect(dispute.decision).toMatchObject({ by: "evidence", evidence: { earlierLeadId: earlier, matchedOn: "email", windowDays: 30 } });
  });

  it("leaves a duplicate dispute for the agency when the only earlier match is outside the duplicate window", async () => {
    await newLead({ email: "old@example.com" });
    clock.advance(31 * DAY);
    const later = await newLead({ email: "old@example.com" });

    const { dispute } = await t.deps.disputes.open(client, { leadId: later, reason: "duplicate" });

    expect(dispute.status).toBe("open");
    expect(await credits(later)).toEqual([]);
  });

  it("approves any dispute of a call lead whose conversation was shorter than the contract minimum", async () => {
    const leadId = randomUUID();
    await t.deps.db.execute(sql`insert into leads (id, client_id, campaign_id, source, status, phone, raw_payload, call_sid, call_from, call_conversation_seconds, call_dial_status,
        recording_sid, contract_version_id, verdict, qualified, billable, received_at, judged_at)
      values (${leadId}, ${s.client.id}, ${s.campaign.id}, 'call', 'qualified', '+12125559001', '{}'::jsonb, 'CA0001', '+12125559001', 42, 'completed',
        'RE0001', ${s.version.id}, ${JSON.stringify({ qualified: true, billable: true, contractVersionId: s.version.id, reasons: [] })}::jsonb, true, true, ${T0}, ${T0})`);
    await appendEntry({ kind: "lead_charge", amountCents: 7500, leadId, key: `lead_charge:${leadId}` });

    const { dispute } = await t.deps.disputes.open(client, { leadId, reason: "not_looking" });
    const detail = await t.deps.disputes.get(agency, { id: dispute.id });

    expect(dispute).toMatchObject({ status: "approved", creditCents: 7500 });
    expect(dispute.resolutionNote).toBe("Approved on evidence: the call lasted 42 s, below the contract minimum of 90 s.");
    expect(detail.lead.call).toMatchObject({ conversationSeconds: 42, dialStatus: "completed", hasRecording: true });
    expect(detail.lead.recordingUrl).toBe(`/recordings/${leadId}`);
  });

  it("credits a share of the lead charge plus acquisition charges, never more than was charged in total", async () => {
    const leadId = await newLead();
    await appendEntry({ kind: "acquisition_charge", amountCents: 20000, leadId, key: `acquisition_charge:${leadId}` });

    const first = (await t.deps.disputes.open(client, { leadId, reason: "not_looking" })).dispute;
    const partial = await t.deps.disputes.resolve(agency, { disputeId: first.id, decision: "partial", amountCents: 10000, note: "The deal fell through after the first visit." });
    const second = (await t.deps.disputes.open(client, { leadId, reason: "wrong_number", note: "Second look." })).dispute;
    const tooMuch = await domainError(t.deps.disputes.resolve(agency, { disputeId: second.id, decision: "partial", amountCents: 20000, note: "x" }));
    const rest = await t.deps.disputes.resolve(agency, { disputeId: second.id, decision: "approve" });
    const third = await domainError(t.deps.disputes.open(client, { leadId, reason: "spam" }));

    expect(partial).toMatchObject({ status: "partially_approved", creditCents: 10000 });
    expect(tooMuch).toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringContaining("At most $175.00 can still be credited") });
    expect(rest).toMatchObject({ status: "approved", creditCents: 17500, decision: { chargedCents: 27500, alreadyCreditedCents: 10000 } });
    expect(third).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("Nothing is left to credit") });
    expect((await credits(leadId)).map((c) => c.amount_cents)).toEqual([-10000, -17500]);
  });

  it("never credits the acquisition twice: a won lead disputed in full and then marked lost nets to zero", async () => {
    const leadId = await newLead();
    await t.deps.billing.markOutcome(outcomeCaller(client), { leadId, outcome: "won" });
    const dispute = (await t.deps.disputes.open(client, { leadId, reason: "not_looking" })).dispute;
    await t.deps.disputes.resolve(agency, { disputeId: dispute.id, decision: "approve" });

    const lost = await t.deps.billing.markOutcome(outcomeCaller(client), { leadId, outcome: "lost" });
    const again = await t.deps.billing.markOutcome(outcomeCaller(client), { leadId, outcome: "lost" });

    expect(lost.entries.map((e) => [e.idempotencyKey, e.amountCents])).toEqual([
      [`reversal:acquisition_charge:${leadId}`, -20000],
      [`adjustment:credited-acquisition_charge:${leadId}`, 20000],
    ]);
    expect(again.changed).toBe(false);
    const [net] = (await t.deps.db.execute(sql`select sum(amount_cents)::int as net from ledger_entries where lead_id = ${leadId}`)).rows as { net: number }[];
    expect(net!.net).toBe(0);
  });

  it("refuses a lead whose charge was reversed: nothing is left to credit", async () => {
    const leadId = await newLead();
    await appendEntry({ kind: "adjustment", amountCents: -7500, leadId, key: `reversal:lead_charge:${leadId}` });

    const e = await domainError(t.deps.disputes.open(client, { leadId, reason: "wrong_number" }));

    expect(e.code).toBe("CONFLICT");
  });

  it("books the credit in the client's current billing period in its own time zone", async () => {
    clock.set("2026-02-27T15:00:00Z");
    const leadId = await newLead();
    const { dispute } = await t.deps.disputes.open(client, { leadId, reason: "wrong_number" });
    clock.set("2026-03-01T03:00:00Z"); // still Feb 28 in New York

    await t.deps.disputes.resolve(agency, { disputeId: dispute.id, decision: "approve" });

    expect(await credits(leadId)).toEqual([{ amount_cents: -7500, period: "2026-02" }]);
  });

  it("lets concurrent opens on different leads respect the return-rate cap", async () => {
    const capped = await setupIntakeClient(t.deps, { name: "Capped Siding", contract: { ...DISPUTE_CONTRACT, disputes: { autoApprove: [], maxReturnRateBps: 2000 } } });
    const user = await t.deps.users.create(SYSTEM, { email: "boss@capped.test", password: PASSWORD, role: "client_admin", clientId: capped.client.id });
    const actor: Actor = { kind: "client", userId: user.id, email: user.email, role: "client_admin", clientId: capped.client.id };
    const leads: string[] = [];
    for (let i = 0; i < 5; i++) leads.push(await newLead({}, capped));

    const results = await Promise.allSettled(leads.slice(0, 4).map((leadId) => t.deps.disputes.open(actor, { leadId, reason: "wrong_number" })));

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => (r.reason as DomainError).code);
    expect(refused).toEqual(["RETURN_RATE_EXCEEDED", "RETURN_RATE_EXCEEDED", "RETURN_RATE_EXCEEDED"]);
    expect(await count(t.deps, "disputes", sql`client_id = ${capped.client.id}`)).toBe(1);
  });

  it("auto-approves each overdue dispute once even when two sweeps run at the same time", async () => {
    const leadIds = [await newLead(), await newLead(), await newLead()];
    const ids: string[] = [];
    for (const leadId of leadIds) ids.push((await t.deps.disputes.open(client, { leadId, reason: "wrong_number" })).dispute.id);
    clock.advance(3 * DAY + 1);

    await Promise.all([disputesAutoApproveJob.handler(t.deps, {}, JOB_CTX), disputesAutoApproveJob.handler(t.deps, {}, JOB_CTX)]);

    for (const id of ids) {
      expect(await count(t.deps, "ledger_entries", sql`kind = 'dispute_credit' and dispute_id = ${id}`)).toBe(1);
      expect(await count(t.deps, "disputes", sql`id = ${id} and status = 'auto_approved' and credit_cents = 7500`)).toBe(1);
    }
    expect(jobRegistry().find((j) => j.name === "disputes.auto-approve")).toMatchObject({ every: "1 minute" });
  });

  it("pages the agency queue by deadline and the client's list newest first, without repeats", async () => {
    const paged = await setupIntakeClient(t.deps, { name: "Paged Windows", contract: { ...DISPUTE_CONTRACT, disputes: { autoApprove: [] } } });
    const user = await t.deps.users.create(SYSTEM, { email: "boss@paged.test", password: PASSWORD, role: "client_admin", clientId: paged.client.id });
    const actor: Actor = { kind: "client", userId: user.id, email: user.email, role: "client_admin", clientId: paged.client.id };
    const opened: string[] = [];
    for (let i = 0; i < 3; i++) {
      opened.push((await t.deps.disputes.open(actor, { leadId: await newLead({}, paged), reason: "wrong_number" })).dispute.id);
      clock.advance(60_000);
    }
    const walk = async (who: Actor, input: Record<string, unknown>) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await t.deps.disputes.list(who, { ...input, limit: 2, cursor });
        ids.push(...page.items.map((d) => d.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return ids;
    };

    const queue = await walk(agency, { clientId: paged.client.id });
    const mine = await walk(actor, {});

    expect(queue).toEqual(opened);
    expect(mine).toEqual([...opened].reverse());
  });

  it("puts the credit on the next invoice as a negative line for its dispute", async () => {
    const billed = await setupIntakeClient(t.deps, { name: "Invoiced Decks", contract: { ...DISPUTE_CONTRACT, disputes: { autoApprove: ["spam"] } } });
    const user = await t.deps.users.create(SYSTEM, { email: "boss@invoiced.test", password: PASSWORD, role: "client_admin", clientId: billed.client.id });
    const actor: Actor = { kind: "client", userId: user.id, email: user.email, role: "client_admin", clientId: billed.client.id };
    await newLead({}, billed); // a second, undisputed lead stays charged
    const { dispute } = await t.deps.disputes.open(actor, { leadId: await newLead({}, billed), reason: "spam" });
    clock.set("2026-04-01T12:00:00Z");

    await t.deps.billing.closePeriod(agency, { clientId: billed.client.id, period: "2026-03" });

    const lines = await t.deps.db.execute(
      sql`select l.kind, l.dispute_id, l.amount_cents from invoice_lines l join invoices i on i.id = l.invoice_id where i.client_id = ${billed.client.id} order by l.position`,
    );
    expect(lines.rows).toEqual([
      { kind: "lead_charge", dispute_id: null, amount_cents: 15000 },
      { kind: "dispute_credit", dispute_id: dispute.id, amount_cents: -7500 },
    ]);
  });
});
