import { sql } from "drizzle-orm";
import supertest from "supertest";
import { createTestContext, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { GOOD_LEAD, setupIntakeClient } from "../support/fixtures";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";

type Agent = Awaited<ReturnType<typeof loginAgent>>;

describe("webhook endpoints and their log over tRPC and pages: each client sees and touches only its own", () => {
  let t: TestContext;
  let receiver: WebhookReceiver;
  let a: Awaited<ReturnType<typeof setupIntakeClient>>;
  let b: Awaited<ReturnType<typeof setupIntakeClient>>;
  const as: Record<"agency" | "aAdmin" | "aMember" | "bAdmin", Agent> = {} as never;
  let aEndpoint: { id: string; url: string };
  let aDelivery: string;
  let aLead: string;

  const data = (res: { body: { result?: { data: unknown } } }) => res.body.result!.data as Record<string, unknown>;
  const codeOf = (res: { body: { error?: { data: { code: string; domainCode?: string | null } } } }) => res.body.error?.data.code;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await createTestContext({ remix: true });
    a = await setupIntakeClient(t.deps, { name: "Alpha Roofing" });
    b = await setupIntakeClient(t.deps, { name: "Beta Plumbing" });
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "boss@alpha.test", password: PASSWORD, role: "client_admin", clientId: a.client.id });
    await t.deps.users.create(SYSTEM, { email: "rep@alpha.test", password: PASSWORD, role: "client_member", clientId: a.client.id });
    await t.deps.users.create(SYSTEM, { email: "boss@beta.test", password: PASSWORD, role: "client_admin", clientId: b.client.id });
    as.agency = await loginAgent(t.app, "admin@agency.test");
    as.aAdmin = await loginAgent(t.app, "boss@alpha.test");
    as.aMember = await loginAgent(t.app, "rep@alpha.test");
    as.bAdmin = await loginAgent(t.app, "boss@beta.test");

    const created = await trpc(as.aAdmin, "mutation", "webhooks.create", { url: receiver.url, description: "HubSpot" });
    aEndpoint = (data(created) as { endpoint: { id: string; url: string } }).endpoint;
    const lead = await supertest(t.app).post(`/api/forms/${a.publicKey}`).set("Origin", "https://roofs.example.com").set("Accept", "application/json").send(GOOD_LEAD);
    aLead = lead.body.leadId;
    const [d] = (await t.deps.db.execute(sql`select id from webhook_deliveries where lead_id = ${aLead}`)).rows as { id: string }[];
    aDelivery = d!.id;
    await t.deps.webhooks.deliver(aDelivery);
  });
  afterAll(async () => {
    t.deps.webhooks.close();
    await receiver.close();
    await t.close();
  });

  it("a client admin's endpoint belongs to their own client, naming another client is a 404; the secret is shown once", async () => {
    expect(codeOf(await trpc(as.aAdmin, "mutation", "webhooks.create", { url: receiver.url, clientId: b.client.id }))).toBe("NOT_FOUND");
    const [row] = (await t.deps.db.execute(sql`select client_id from webhook_endpoints where id = ${aEndpoint.id}`)).rows;
    expect(row).toEqual({ client_id: a.client.id });
    const list = data(await trpc(as.aAdmin, "query", "webhooks.list", {})) as unknown as Record<string, unknown>[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: aEndpoint.id, secretHint: expect.stringMatching(/^whsec_…/) });
    expect(list[0]).not.toHaveProperty("secret");
    expect(JSON.stringify(list)).not.toMatch(/whsec_[A-Za-z0-9+/]{20}/);
  });

  it("client B cannot see, change, test, rotate or replay client A's endpoint or deliveries (404), through tRPC", async () => {
    expect(codeOf(await trpc(as.bAdmin, "query", "webhooks.list", { clientId: a.client.id }))).toBe("NOT_FOUND");
    expect(codeOf(await trpc(as.bAdmin, "query", "webhooks.deliveries", { clientId: a.client.id }))).toBe("NOT_FOUND");
    expect(data(await trpc(as.bAdmin, "query", "webhooks.deliveries", { leadId: aLead }))).toEqual([]);
    for (const [kind, path, input] of [
      ["query", "webhooks.deliveries", { endpointId: aEndpoint.id }],
      ["query", "webhooks.delivery", { id: aDelivery }],
      ["mutation", "webhooks.replay", { id: aDelivery }],
      ["mutation", "webhooks.update", { id: aEndpoint.id, enabled: false }],
      ["mutation", "webhooks.sendTest", { id: aEndpoint.id }],
      ["mutation", "webhooks.rotateSecret", { id: aEndpoint.id }],
      ["mutation", "webhooks.replayFailed", { endpointId: aEndpoint.id, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z" }],
    ] as const) {
      expect([path, codeOf(await trpc(as.bAdmin, kind, path, input))]).toEqual([path, "NOT_FOUND"]);
    }
    expect(receiver.received).toHaveLength(1);
    const [endpoint] = await t.deps.webhooks.list(SYSTEM, { clientId: a.client.id });
    expect(endpoint!.enabled).toBe(true);
  });

  it("a client member cannot manage webhooks; bad input is a 400 with the field named", async () => {
    expect(codeOf(await trpc(as.aMember, "mutation", "webhooks.create", { url: receiver.url }))).toBe("FORBIDDEN");
    const bad = await trpc(as.aAdmin, "mutation", "webhooks.create", { url: "http://crm.example.com/hooks" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.data.issues).toEqual([expect.objectContaining({ path: ["url"] })]);
    const badEvent = await trpc(as.aAdmin, "mutation", "webhooks.create", { url: receiver.url, events: ["lead.deleted"] });
    expect(badEvent.status).toBe(400);
  });

  it("the portal page shows client A's endpoint and deliveries to A only; B's forged replay of A's delivery is a 404", async () => {
    const mine = await as.aAdmin.get("/portal/webhooks");
    expect(mine.status).toBe(200);
    expect(mine.text).toContain(receiver.url);
    expect(mine.text).toContain("lead.qualified");
    const theirs = await as.bAdmin.get(`/portal/webhooks?delivery=${aDelivery}`);
    expect(theirs.status).toBe(200);
    expect(theirs.text).not.toContain(receiver.url);
    const { message_id } = (await t.deps.db.execute(sql`select message_id from webhook_deliveries where id = ${aDelivery}`)).rows[0] as { message_id: string };
    expect(theirs.text).not.toContain(message_id);
    expect(theirs.text).not.toContain("Delivery details");
    const forged = await as.bAdmin.post("/portal/webhooks").type("form").send({ intent: "replay", id: aDelivery });
    expect(forged.status).toBe(404);
    expect((await as.aMember.get("/portal/webhooks")).status).toBe(403);
  });

  it("the lead page says where the lead was delivered, how fast after arrival and the answer", async () => {
    const page = await as.aMember.get(`/portal/leads/${aLead}`);
    expect(page.status).toBe(200);
    expect(page.text.replace(/<!-- -->/g, "")).toMatch(/lead\.qualified: delivered to HubSpot \d+\.\d s after arrival · 200/);
    const agency = await as.agency.get(`/agency/clients/${a.client.id}/webhooks?delivery=${aDelivery}`);
    expect(agency.status).toBe(200);
    const text = agency.text.replace(/<!-- -->/g, "");
    expect(text).toMatch(/Attempt 1 · [^<]* · 200 · \d+ ms/);
    expect(text).toContain("webhook-signature: v1,…");
  });

  it("Send test event from the portal queues a signed webhook.test delivery for the endpoint", async () => {
    const res = await as.aAdmin.post("/portal/webhooks").type("form").send({ intent: "send-test", id: aEndpoint.id });
    expect(res.status).toBe(200);
    const [d] = (await t.deps.db.execute(sql`select id from webhook_deliveries where endpoint_id = ${aEndpoint.id} and event_type = 'webhook.test'`)).rows as { id: string }[];
    expect(await t.deps.webhooks.deliver(d!.id)).toMatchObject({ kind: "delivered" });
    expect(receiver.received.at(-1)!.json).toMatchObject({ type: "webhook.test", data: { test: true, lead: { contact: { name: "Test Lead" } } } });
  });
});
