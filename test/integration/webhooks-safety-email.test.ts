import { sql } from "drizzle-orm";
import supertest from "supertest";
import { createTestContext, SYSTEM, type TestContext } from "../support/app";
import { GOOD_LEAD, setupIntakeClient } from "../support/fixtures";
import { startSmtpCapture } from "../support/smtp";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";

const postForm = (t: TestContext, publicKey: string, body: Record<string, unknown>) =>
  supertest(t.app).post(`/api/forms/${publicKey}`).set("Origin", "https://roofs.example.com").set("Accept", "application/json").send(body);

describe("webhooks in production: no private addresses, https only", () => {
  let t: TestContext;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await createTestContext({
      remix: false,
      env: { NODE_ENV: "production", SESSION_SECRET: "s".repeat(40) },
      // crm.example.test resolves to this machine, as an attacker's DNS could answer.
      deps: { webhookLookup: (_host, _o, cb) => cb(null, [{ address: "127.0.0.1", family: 4 }]) },
    });
  });
  afterAll(async () => {
    t.deps.webhooks.close();
    await receiver.close();
    await t.close();
  });

  it("refuses http, literal private addresses and localhost when the endpoint is saved", async () => {
    const s = await setupIntakeClient(t.deps);
    for (const url of [receiver.url, "https://127.0.0.1/hooks", "https://10.1.2.3/x", "https://169.254.169.254/latest/meta-data", "https://[::1]/x", "https://localhost/x", "ftp://crm.example.com/x"]) {
      await expect(t.deps.webhooks.create(SYSTEM, { clientId: s.client.id, url })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    }
  });

  it("refuses to send to a name that resolves to 127.0.0.1, checked at send time, and nothing reaches the receiver", async () => {
    const s = await setupIntakeClient(t.deps);
    const { endpoint } = await t.deps.webhooks.create(SYSTEM, { clientId: s.client.id, url: `https://crm.example.test:${receiver.port}/hooks` });
    const res = await postForm(t, s.publicKey, GOOD_LEAD);
    const [d] = (await t.deps.db.execute(sql`select id from webhook_deliveries where endpoint_id = ${endpoint.id}`)).rows as { id: string }[];

    const outcome = await t.deps.webhooks.deliver(d!.id);

    expect(res.body.status).toBe("qualified");
    expect(outcome).toMatchObject({ kind: "retry", error: "refused: crm.example.test resolves to 127.0.0.1 (loopback)" });
    expect(receiver.received).toHaveLength(0);
    const log = await t.deps.webhooks.delivery(SYSTEM, d!.id);
    expect(log.attemptsLog[0]).toMatchObject({ responseStatus: null, error: expect.stringContaining("refused") });
  });
});

describe("e-mail notifications through SMTP", () => {
  let t: TestContext;
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let mails: { to: string[]; raw: string }[] = [];

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    mails = smtp.mails;
    t = await createTestContext({ remix: false, env: { SMTP_URL: smtp.url, MAIL_FROM: "LeadLedger <leads@agency.test>" } });
  });
  afterAll(async () => {
    await smtp.close();
    t.deps.webhooks.close();
    await t.close();
  });

  it("sends a new qualified lead to the client's recipients with its details and a link, once", async () => {
    const s = await setupIntakeClient(t.deps, { name: "Brooklyn Roofing" });
    await t.deps.emails.addRecipient(SYSTEM, { clientId: s.client.id, email: "Sales@Brooklyn.test", events: ["lead.qualified"] });
    await t.deps.emails.addRecipient(SYSTEM, { clientId: s.client.id, email: "billing@brooklyn.test", events: ["invoice.issued"] });
    const res = await postForm(t, s.publicKey, GOOD_LEAD);
    const rows = (await t.deps.db.execute(sql`select id, to_address from email_messages where lead_id = ${res.body.leadId}`)).rows as { id: string; to_address: string }[];
    expect(rows.map((r) => r.to_address)).toEqual(["sales@brooklyn.test"]);

    expect(await t.deps.emails.send(rows[0]!.id)).toMatchObject({ kind: "sent", captured: false });
    expect(await t.deps.emails.send(rows[0]!.id)).toMatchObject({ kind: "nothing", reason: "done" });

    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(["sales@brooklyn.test"]);
    const raw = mails[0]!.raw.replace(/=\r\n/g, "");
    expect(raw).toMatch(/^Subject: New qualified lead: Ann Smith \(Brooklyn Roofing\)/m);
    expect(raw).toContain("Phone: +12125550142");
    expect(raw).toContain(`http://leadledger.test/portal/leads/${res.body.leadId}`);
    expect(raw).toMatch(/Content-Type: text\/html/);
  });

  it("an SMTP server that is down: the e-mail is retried later, not lost", async () => {
    const down = await createTestContext({ remix: false, env: { SMTP_URL: "smtp://127.0.0.1:9" } });
    try {
      const s = await setupIntakeClient(down.deps);
      await down.deps.emails.addRecipient(SYSTEM, { clientId: s.client.id, email: "sales@x.test", events: ["lead.qualified"] });
      const res = await postForm(down, s.publicKey, GOOD_LEAD);
      const [m] = (await down.deps.db.execute(sql`select id from email_messages where lead_id = ${res.body.leadId}`)).rows as { id: string }[];

      const outcome = await down.deps.emails.send(m!.id);

      expect(outcome).toMatchObject({ kind: "retry", attempt: 1 });
      const [row] = (await down.deps.db.execute(sql`select status, last_error from email_messages where id = ${m!.id}`)).rows;
      expect(row).toMatchObject({ status: "pending", last_error: expect.any(String) });
    } finally {
      down.deps.webhooks.close();
      await down.close();
    }
  });

  it("without SMTP_URL the message is captured and listed, not sent", async () => {
    const local = await createTestContext({ remix: false });
    try {
      const s = await setupIntakeClient(local.deps, { name: "Captured Co" });
      await local.deps.emails.addRecipient(SYSTEM, { clientId: s.client.id, email: "owner@captured.test", events: ["lead.qualified"] });
      const res = await postForm(local, s.publicKey, GOOD_LEAD);
      const [m] = (await local.deps.db.execute(sql`select id from email_messages where lead_id = ${res.body.leadId}`)).rows as { id: string }[];

      expect(await local.deps.emails.send(m!.id)).toMatchObject({ kind: "sent", captured: true });

      const [listed] = await local.deps.emails.list(SYSTEM, { clientId: s.client.id });
      expect(listed).toMatchObject({ status: "sent", captured: true, toAddress: "owner@captured.test", subject: "New qualified lead: Ann Smith (Captured Co)" });
      expect(listed!.textBody).toContain("Open the lead: http://leadledger.test/portal/leads/");
    } finally {
      local.deps.webhooks.close();
      await local.close();
    }
  });
});
