import { sql } from "drizzle-orm";
import supertest from "supertest";
import { Webhook } from "standardwebhooks";
import { sweepOutbox } from "../../jobs/outbox-dispatch";
import { startOutboxListener } from "../../jobs/outbox-listener";
import { deliveriesInProcess, WEBHOOKS_DELIVER, webhooksDeliverJob } from "../../jobs/webhooks-deliver";
import { webhookStore } from "../../server/db/repositories/webhooks";
import { outcomeCaller } from "../../server/domain/billing/mark-outcome";
import { deliverWebhook } from "../../server/domain/webhooks/deliver-webhook";
import type { Clock } from "../../server/domain/shared/clock";
import { DEFAULT_DELIVERY_POLICY } from "../../server/domain/webhooks/retry";
import { httpWebhookSender } from "../../server/integrations/webhooks/http-sender";
import { createTestContext, PASSWORD, SYSTEM, type TestContext } from "../support/app";
import { DISPUTE_CONTRACT, GOOD_LEAD, recordingJobContext, setupIntakeClient } from "../support/fixtures";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";

/** Real time shifted by `offset`, so a test can jump past a retry's backoff without waiting. */
function shiftableClock(): Clock & { advance(ms: number): void; reset(): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms), reset: () => void (offset = 0) };
}

/** The default schedule with shorter early steps, so a test's shifted clock stays inside the receiver's 5-minute timestamp tolerance. */
const TEST_POLICY = { ...DEFAULT_DELIVERY_POLICY, retryDelaysMs: [5_000, 30_000, 60_000, ...DEFAULT_DELIVERY_POLICY.retryDelaysMs.slice(3)] };

describe("webhook delivery: signed, retried, delivered once per webhook-id", () => {
  let t: TestContext;
  let receiver: WebhookReceiver;
  const clock = shiftableClock();
  let n = 0;
  const nextPhone = () => `212-555-${String(3000 + n++)}`;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await createTestContext({ remix: false, clock, deps: { deliveryPolicy: TEST_POLICY } });
  });
  afterEach(() => {
    receiver.reset();
    clock.reset();
  });
  afterAll(async () => {
    t.deps.webhooks.close();
    await receiver.close();
    await t.close();
  });

  const postForm = (publicKey: string, body: Record<string, unknown>) =>
    supertest(t.app).post(`/api/forms/${publicKey}`).set("Origin", "https://roofs.example.com").set("Accept", "application/json").send(body);
  const deliveriesOf = async (leadId: string) =>
    (await t.deps.db.execute(sql`select id, status, attempts, message_id, event_type, endpoint_id from webhook_deliveries where lead_id = ${leadId} order by created_at`)).rows as {
      id: string;
      status: string;
      attempts: number;
      message_id: string;
      event_type: string;
      endpoint_id: string;
    }[];

  async function clientWithEndpoint(extra: Record<string, unknown> = {}) {
    const s = await setupIntakeClient(t.deps);
    const { endpoint, secret } = await t.deps.webhooks.create(SYSTEM, { clientId: s.client.id, url: receiver.url, description: "HubSpot", ...extra });
    receiver.verifyWith(secret);
    return { ...s, endpoint, secret };
  }

  /** A lead whose first attempt reached the receiver, but the process died before recording it. */
  async function sentButNotRecorded() {
    const s = await clientWithEndpoint();
    const res = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone() });
    const [d] = await deliveriesOf(res.body.leadId);
    const store = webhookStore(t.deps.db);
    const crashing = { ...store, recordAttempt: async () => ({ consecutiveFailures: 0, failingSince: null }) };
    const http = httpWebhookSender({ blockPrivateAddresses: false });
    await deliverWebhook({ store: crashing, http, clock, leadUrl: (id) => `http://leadledger.test/portal/leads/${id}` }, d!.id);
    http.close();
    expect(receiver.received).toHaveLength(1);
    return { res, d };
  }

  it("signs each delivery so the standardwebhooks reference implementation verifies it, with the documented body", async () => {
    const s = await clientWithEndpoint();
    const res = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone() });
    expect(res.body.status).toBe("qualified");
    const [d] = await deliveriesOf(res.body.leadId);
    expect(d).toMatchObject({ status: "pending", event_type: "lead.qualified", attempts: 0 });

    const outcome = await t.deps.webhooks.deliver(d!.id);

    expect(outcome).toMatchObject({ kind: "delivered", attempt: 1, status: 200 });
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.verified).toBe(true);
    expect(got.headers["webhook-id"]).toBe(d!.message_id);
    expect(Math.abs(Number(got.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(600);
    expect(new Webhook(s.secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({ type: "lead.qualified" });
    expect(got.json).toMatchObject({
      type: "lead.qualified",
      id: expect.stringMatching(/^evt_\d+$/),
      createdAt: expect.any(String),
      version: expect.any(String),
      data: {
        lead: {
          id: res.body.leadId,
          url: `http://leadledger.test/portal/leads/${res.body.leadId}`,
          contact: { name: "Ann Smith", firstName: "Ann", lastName: "Smith", phone: expect.stringMatching(/^\+1212555/), email: "ann@example.com", zip: "10001" },
          campaign: { id: s.campaign.id, name: expect.any(String) },
          verdict: { qualified: true, contractVersionId: s.version.id, reasons: [] },
          charge: { amountCents: 7500, currency: "USD" },
        },
      },
    });
    // A signature made with another secret fails the same check.
    expect(() => new Webhook("whsec_" + Buffer.from("another secret of 24 byte").toString("base64")).verify(got.body, got.headers as Record<string, string>)).toThrow();
  });

  it("the receiver down for three attempts: delivered on the fourth by the runner's due passes, every attempt with the same webhook-id and body, once with a 2xx, no job per retry", async () => {
    const s = await clientWithEndpoint();
    receiver.answer(500, 503, 429);
    const res = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone() });
    const [d] = await deliveriesOf(res.body.leadId);
    const queue = recordingJobContext();
    const runner = deliveriesInProcess(t.deps, queue);
    const nextAttemptAt = async () => new Date(((await t.deps.db.execute(sql`select next_attempt_at from webhook_deliveries where id = ${d!.id}`)).rows[0] as { next_attempt_at: string }).next_attempt_at);

    await runner.due(); // the first attempt (the notification path is tested below)
    await runner.idle();
    for (let i = 0; i < 3; i++) {
      // Not due yet: a pass sends nothing; once the clock reaches the row's retry time, it does.
      await runner.due();
      await runner.idle();
      expect(receiver.received).toHaveLength(i + 1);
      clock.advance((await nextAttemptAt()).getTime() - clock.now().getTime() + 1);
      await runner.due();
      await runner.idle();
    }
    // A repeated job (at-least-once) after success sends nothing more.
    await webhooksDeliverJob.handler(t.deps, { deliveryId: d!.id }, queue);
    await runner.due();
    await runner.idle();

    expect(receiver.received.map((r) => r.answered)).toEqual([500, 503, 429, 200]);
    expect(new Set(receiver.received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([d!.message_id]));
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(queue.enqueued).toEqual([]);
    const log = await t.deps.webhooks.delivery(SYSTEM, d!.id);
    expect(log).toMatchObject({ status: "delivered", attempts: 4, lastStatus: 200 });
    expect(log.attemptsLog.map((a) => [a.attempt, a.responseStatus, a.nextRetryAt !== null])).toEqual([
      [1, 500, true],
      [2, 503, true],
      [3, 429, true],
      [4, 200, false],
    ]);
    expect(log.attemptsLog[0]!.requestHeaders["webhook-id"]).toBe(d!.message_id);
    expect(log.attemptsLog[0]!.responseBody).toBe("answer 500");
    const [endpoint] = await t.deps.webhooks.list(SYSTEM, { clientId: s.client.id });
    expect(endpoint).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });

  it("honours Retry-After when it is later than the schedule's next step", async () => {
    const s = await clientWithEndpoint();
    receiver.answer({ status: 429, headers: { "retry-after": "3600" } });
    const res = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone() });
    const [d] = await deliveriesOf(res.body.leadId);
    const before = clock.now().getTime();

    const outcome = await t.deps.webhooks.deliver(d!.id);

    expect(outcome.kind).toBe("retry");
    expect((outcome as { retryAt: Date }).retryAt.getTime() - before).toBeGreaterThanOrEqual(3_600_000);
  });

  it("a crash between the attempt and its record: the sweep re-queues it and the receiver gets the same webhook-id again", async () => {
    const { res, d } = await sentButNotRecorded();
    expect((await deliveriesOf(res.body.leadId))[0]).toMatchObject({ status: "sending", attempts: 1 });

    // Before the lease runs out the sweep leaves it alone; after it, the sweep re-queues it.
    expect((await sweepOutbox(t.deps, recordingJobContext())).deliveries).toBe(0);
    clock.advance(DEFAULT_DELIVERY_POLICY.leaseMs + 60_001);
    const queue = recordingJobContext();
    await sweepOutbox(t.deps, queue);
    const requeued = queue.enqueued.filter((j) => j.name === WEBHOOKS_DELIVER);
    expect(requeued).toEqual([{ name: WEBHOOKS_DELIVER, data: { deliveryId: d!.id }, when: null }]);
    await webhooksDeliverJob.handler(t.deps, requeued[0]!.data as { deliveryId: string }, queue);

    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers["webhook-id"]).toBe(receiver.received[0]!.headers["webhook-id"]);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    expect((await deliveriesOf(res.body.leadId))[0]).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("a crash between the attempt and its record, with a runner: its due pass retries once the lease has run out, with the same webhook-id; the sweep leaves it to the runner", async () => {
    const { res } = await sentButNotRecorded();

    const queue = recordingJobContext();
    const runner = deliveriesInProcess(t.deps, queue);
    await runner.due(); // still leased: nothing
    await runner.idle();
    expect(receiver.received).toHaveLength(1);
    clock.advance(DEFAULT_DELIVERY_POLICY.leaseMs + 1);
    expect((await sweepOutbox(t.deps, queue, { deliveriesHere: true })).deliveries).toBe(0);
    await runner.due();
    await runner.idle();

    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers["webhook-id"]).toBe(receiver.received[0]!.headers["webhook-id"]);
    expect((await deliveriesOf(res.body.leadId))[0]).toMatchObject({ status: "delivered", attempts: 2 });
    expect(queue.enqueued).toEqual([]);
  });

  it("a due pass queues each delivery once, oldest first per endpoint, and never more per endpoint than it may run", async () => {
    const s = await clientWithEndpoint();
    receiver.setFallback(200);
    const leads: string[] = [];
    for (let i = 0; i < 5; i++) leads.push((await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone() })).body.leadId as string);
    const runner = deliveriesInProcess(t.deps, recordingJobContext(), { perTarget: 1, maxWaiting: 2 });
    // Two passes at once share one; each delivery is sent once although several passes see it due.
    await Promise.all([runner.due(), runner.due()]);
    await runner.due();
    await runner.idle();
    for (let i = 0; i < 3; i++) {
      await runner.due();
      await runner.idle();
    }
    const ids = receiver.received.map((r) => r.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(ids.length);
    const sentLeads = receiver.received.map((r) => (r.json as { data?: { lead?: { id?: string } } }).data?.lead?.id).filter((id) => id && leads.includes(id));
    expect(sentLeads).toEqual(leads);
    for (const id of leads) expect((await deliveriesOf(id))[0]).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("410 Gone disables the endpoint: no later delivery is created or sent, and the client's admins are e-mailed", async () => {
    const s = await clientWithEndpoint();
    const boss = `boss-${n}@gone.test`;
    await t.deps.users.create(SYSTEM, { email: boss, password: "correct horse battery", role: "client_admin", clientId: s.client.id });
    const first = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone() });
    const second = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone() });
    const [d1] = await deliveriesOf(first.body.leadId);
    const [d2] = await deliveriesOf(second.body.leadId);
    receiver.answer(410);

    expect(await t.deps.webhooks.deliver(d1!.id)).toMatchObject({ kind: "failed", endpointDisabled: true });
    expect(await t.deps.webhooks.deliver(d2!.id)).toEqual({ kind: "nothing", reason: "endpoint_disabled" });
    const third = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone() });

    expect(receiver.received).toHaveLength(1);
    expect(await deliveriesOf(third.body.leadId)).toEqual([]);
    expect((await deliveriesOf(second.body.leadId))[0]!.status).toBe("failed");
    const [endpoint] = await t.deps.webhooks.disabled(SYSTEM, { clientId: s.client.id });
    expect(endpoint).toMatchObject({ enabled: false, disabledReason: expect.stringContaining("410") });
    const mails = (await t.deps.db.execute(sql`select to_address, event_type from email_messages where client_id = ${s.client.id}`)).rows;
    expect(mails).toEqual([{ to_address: boss, event_type: "webhook_endpoint.disabled" }]);
  });

  it("after a long failure streak the endpoint is switched off", async () => {
    const s = await clientWithEndpoint();
    receiver.setFallback(500);
    const policy = { ...DEFAULT_DELIVERY_POLICY, disableAfterFailures: 3, disableAfterFailingForMs: 0 };
    const http = httpWebhookSender({ blockPrivateAddresses: false });
    const deps = { store: webhookStore(t.deps.db), http, clock, leadUrl: (id: string) => id, policy };
    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      const res = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone() });
      const [d] = await deliveriesOf(res.body.leadId);
      outcomes.push(await deliverWebhook(deps, d!.id));
    }
    http.close();
    expect(outcomes.map((o) => o.kind)).toEqual(["retry", "retry", "failed"]);
    expect((await t.deps.webhooks.disabled(SYSTEM, { clientId: s.client.id }))[0]!.disabledReason).toMatch(/3 failed attempts in a row/);
  });

  it("reshapes the body with the endpoint's field mapping", async () => {
    const s = await clientWithEndpoint({
      fieldMapping: {
        rename: [
          { from: "data.lead.contact.firstName", to: "first_name" },
          { from: "data.lead.contact.phone", to: "phone_number" },
        ],
        constants: { source: "leadledger", "meta.pipeline": "roofing" },
      },
    });
    const res = await postForm(s.publicKey, { ...GOOD_LEAD, phone: "212-555-0199" });
    const [d] = await deliveriesOf(res.body.leadId);

    await t.deps.webhooks.deliver(d!.id);

    const body = receiver.received[0]!.json as { first_name: string; phone_number: string; source: string; meta: { pipeline: string }; data: { lead: { contact: Record<string, unknown> } } };
    expect(body).toMatchObject({ first_name: "Ann", phone_number: "+12125550199", source: "leadledger", meta: { pipeline: "roofing" }, type: "lead.qualified" });
    expect(body.data.lead.contact).not.toHaveProperty("phone");
    expect(body.data.lead.contact).toMatchObject({ lastName: "Smith" });
    expect(receiver.received[0]!.verified).toBe(true);
  });

  it("delivers rejected leads and outcomes to endpoints that want them, and nothing they did not ask for", async () => {
    const s = await clientWithEndpoint({ events: ["lead.rejected", "lead.outcome"] });
    const qualified = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone() });
    const rejected = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone(), zip: "94105" });
    await t.deps.billing.markOutcome(outcomeCaller(SYSTEM), { leadId: qualified.body.leadId, outcome: "won", valueCents: 900000 });

    const q = await deliveriesOf(qualified.body.leadId);
    const r = await deliveriesOf(rejected.body.leadId);
    expect(q.map((x) => x.event_type)).toEqual(["lead.outcome"]);
    expect(r.map((x) => x.event_type)).toEqual(["lead.rejected"]);
    await t.deps.webhooks.deliver(r[0]!.id);
    await t.deps.webhooks.deliver(q[0]!.id);
    const [rej, won] = receiver.received.map((x) => x.json as { type: string; data: { lead: { verdict: { qualified: boolean; reasons: { code: string }[] }; outcome: unknown } } });
    expect(rej).toMatchObject({ type: "lead.rejected", data: { lead: { verdict: { qualified: false, reasons: [{ code: "OUT_OF_SERVICE_AREA" }] } } } });
    expect(won).toMatchObject({ type: "lead.outcome", data: { lead: { outcome: { outcome: "won", valueCents: 900000 } } } });
  });

  it("a dispute opened and decided and an invoice issued reach the endpoints and e-mail recipients that want them", async () => {
    const s = await setupIntakeClient(t.deps, { contract: DISPUTE_CONTRACT, name: "Dispute Events Co" });
    const { secret } = await t.deps.webhooks.create(SYSTEM, { clientId: s.client.id, url: receiver.url, events: ["dispute.opened", "dispute.resolved", "invoice.issued"] });
    receiver.verifyWith(secret);
    await t.deps.emails.addRecipient(SYSTEM, { clientId: s.client.id, email: "owner@disputes.test", events: ["dispute.resolved", "invoice.issued"] });
    const user = await t.deps.users.create(SYSTEM, { email: `boss-${n}@disputes.test`, password: PASSWORD, role: "client_admin", clientId: s.client.id });
    const clientActor = { kind: "client" as const, userId: user.id, email: user.email, role: "client_admin" as const, clientId: s.client.id };
    const lead = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone() });
    const { dispute } = await t.deps.disputes.open(clientActor, { leadId: lead.body.leadId, reason: "not_looking" });
    await t.deps.disputes.resolve(SYSTEM, { disputeId: dispute.id, decision: "reject", note: "They booked a visit." });
    const invoice = await t.deps.billing.closePeriod(SYSTEM, { clientId: s.client.id, period: "2026-11", draft: false });

    const rows = (await t.deps.db.execute(sql`select id, event_type from webhook_deliveries where client_id = ${s.client.id} order by created_at`)).rows as { id: string; event_type: string }[];
    expect(rows.map((r) => r.event_type)).toEqual(["dispute.opened", "dispute.resolved", "invoice.issued"]);
    for (const r of rows) await t.deps.webhooks.deliver(r.id);
    expect(receiver.received.map((r) => [r.json.type, r.verified])).toEqual([
      ["dispute.opened", true],
      ["dispute.resolved", true],
      ["invoice.issued", true],
    ]);
    expect(receiver.received[1]!.json).toMatchObject({ data: { dispute: { id: dispute.id, status: "rejected", resolutionNote: "They booked a visit." }, lead: { id: lead.body.leadId } } });
    expect(receiver.received[2]!.json).toMatchObject({ data: { invoice: { id: invoice.invoice.id, period: "2026-11", status: "issued" } } });
    const mails = (await t.deps.db.execute(sql`select id, event_type from email_messages where client_id = ${s.client.id} order by created_at`)).rows as { id: string; event_type: string }[];
    expect(mails.map((m) => m.event_type)).toEqual(["dispute.resolved", "invoice.issued"]);
    for (const m of mails) await t.deps.emails.send(m.id);
    const sent = await t.deps.emails.list(SYSTEM, { clientId: s.client.id });
    expect(sent.map((m) => m.subject).sort()).toEqual([expect.stringMatching(/^Dispute rejected: Ann Smith \(Dispute Events Co\)$/), expect.stringMatching(/^Invoice INV-\d{4} issued: \$0\.00 \(Dispute Events Co\)$/)]);
  });

  it("the outbox listener makes the first attempt as soon as the lead commits; a slow endpoint does not hold up another", async () => {
    const slow = await startWebhookReceiver();
    try {
      const s = await clientWithEndpoint();
      await t.deps.webhooks.create(SYSTEM, { clientId: s.client.id, url: slow.url, description: "slow" });
      slow.setFallback(200);
      slow.answer({ status: 200, delayMs: 2_000 });
      const runner = deliveriesInProcess(t.deps, recordingJobContext());
      const listener = await startOutboxListener(t.deps, { enqueue: recordingJobContext(), sweepEveryMs: 60_000, deliveries: runner });
      try {
        const res = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextPhone() });
        await receiver.waitFor(1);
        expect(slow.received.length + receiver.received.length).toBeGreaterThanOrEqual(1);
        expect(receiver.received[0]!.json).toMatchObject({ data: { lead: { id: res.body.leadId } } });
        await runner.idle();
        expect((await deliveriesOf(res.body.leadId)).map((x) => x.status)).toEqual(["delivered", "delivered"]);
      } finally {
        await listener.stop();
      }
    } finally {
      await slow.close();
    }
  });
});
