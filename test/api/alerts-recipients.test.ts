import { sql } from "drizzle-orm";
import { createTestContext, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { addAlertRecipient, GOOD_LEAD, setupIntakeClient } from "../support/fixtures";

type Agent = Awaited<ReturnType<typeof loginAgent>>;

describe("alert recipients, alert settings and the alert log over tRPC", () => {
  let t: TestContext;
  let a: Awaited<ReturnType<typeof setupIntakeClient>>;
  let b: Awaited<ReturnType<typeof setupIntakeClient>>;
  const as: Record<"agency" | "staff" | "aAdmin" | "aMember" | "bAdmin", Agent> = {} as never;

  beforeAll(async () => {
    t = await createTestContext({ remix: true });
    a = await setupIntakeClient(t.deps, { name: "Alpha Roofing" });
    b = await setupIntakeClient(t.deps, { name: "Beta Plumbing" });
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "staff@agency.test", password: PASSWORD, role: "agency_staff" });
    await t.deps.users.create(SYSTEM, { email: "boss@alpha.test", password: PASSWORD, role: "client_admin", clientId: a.client.id });
    await t.deps.users.create(SYSTEM, { email: "rep@alpha.test", password: PASSWORD, role: "client_member", clientId: a.client.id });
    await t.deps.users.create(SYSTEM, { email: "boss@beta.test", password: PASSWORD, role: "client_admin", clientId: b.client.id });
    as.agency = await loginAgent(t.app, "admin@agency.test");
    as.staff = await loginAgent(t.app, "staff@agency.test");
    as.aAdmin = await loginAgent(t.app, "boss@alpha.test");
    as.aMember = await loginAgent(t.app, "rep@alpha.test");
    as.bAdmin = await loginAgent(t.app, "boss@beta.test");
  });
  afterAll(() => t.close());

  const data = (res: { body: { result?: { data: unknown } } }) => res.body.result!.data as Record<string, unknown>;
  const errorOf = (res: { body: { error?: { data: { code: string; domainCode: string | null; issues?: { path: string[]; message: string }[] } } } }) => res.body.error!.data;

  describe("recipients", () => {
    it("lets a client admin add a rep; the phone is stored as E.164 in the client's country", async () => {
      const res = await trpc(as.aAdmin, "mutation", "alertRecipients.create", {
        name: "Alice Rep",
        phone: "(212) 555-0150",
        activeHours: { mon: [["08:00", "18:00"]], sat: [["09:00", "12:00"]] },
      });

      expect(res.status).toBe(200);
      expect(data(res)).toMatchObject({ clientId: a.client.id, name: "Alice Rep", phone: "+12125550150", active: true, optedOut: false, activeHoursText: "Mon 08:00–18:00, Sat 09:00–12:00" });
    });

    it("rejects a phone that is not a valid number, naming the field", async () => {
      const res = await trpc(as.aAdmin, "mutation", "alertRecipients.create", { name: "Bad", phone: "555-01" });

      expect(res.status).toBe(400);
      expect(errorOf(res)).toMatchObject({ domainCode: "VALIDATION_FAILED", issues: [{ path: ["phone"], message: expect.stringContaining("not a valid phone number") }] });
    });

    it("rejects active hours that are not HH:MM ranges", async () => {
      const res = await trpc(as.aAdmin, "mutation", "alertRecipients.create", { name: "Late", phone: "212-555-0151", activeHours: { mon: [["18:00", "25:00"]] } });

      expect(res.status).toBe(400);
    });

    it("answers a second rep with the same phone with a conflict on the phone", async () => {
      await trpc(as.aAdmin, "mutation", "alertRecipients.create", { name: "Dup One", phone: "+1 212 555 0152" });

      const res = await trpc(as.aAdmin, "mutation", "alertRecipients.create", { name: "Dup Two", phone: "2125550152" });

      expect(res.status).toBe(409);
      expect(errorOf(res).issues).toEqual([expect.objectContaining({ path: ["phone"] })]);
    });

    it("lets a client member read the reps but not change them", async () => {
      const list = await trpc(as.aMember, "query", "alertRecipients.list", {});
      const create = await trpc(as.aMember, "mutation", "alertRecipients.create", { name: "Sneaky", phone: "212-555-0153" });

      expect(list.status).toBe(200);
      expect((data(list) as unknown as { name: string }[]).map((r) => r.name)).toContain("Alice Rep");
      expect(create.status).toBe(403);
    });

    it("lets agency staff manage any client's reps by naming the client, and requires the name", async () => {
      const created = await trpc(as.staff, "mutation", "alertRecipients.create", { clientId: b.client.id, name: "Bea Rep", phone: "415-555-0100" });
      const missing = await trpc(as.staff, "query", "alertRecipients.list", {});

      expect(data(created)).toMatchObject({ clientId: b.client.id, phone: "+14155550100" });
      expect(missing.status).toBe(400);
    });

    it("keeps clients apart: another client's rep is not found, and naming another client is a 404", async () => {
      const alice = (data(await trpc(as.aAdmin, "query", "alertRecipients.list", {})) as unknown as { id: string; name: string }[]).find((r) => r.name === "Alice Rep")!;

      const seen = data(await trpc(as.bAdmin, "query", "alertRecipients.list", {})) as unknown as { clientId: string }[];
      const foreignList = await trpc(as.bAdmin, "query", "alertRecipients.list", { clientId: a.client.id });
      const update = await trpc(as.bAdmin, "mutation", "alertRecipients.update", { id: alice.id, name: "Hijacked" });
      const remove = await trpc(as.bAdmin, "mutation", "alertRecipients.remove", { id: alice.id });
      const created = await trpc(as.bAdmin, "mutation", "alertRecipients.create", { clientId: a.client.id, name: "Planted", phone: "212-555-0154" });

      expect(seen.every((r) => r.clientId === b.client.id)).toBe(true);
      expect(foreignList.status).toBe(404);
      expect(update.status).toBe(404);
      expect(remove.status).toBe(404);
      expect(created.status).toBe(404);
      expect((await t.deps.db.execute(sql`select count(*)::int as n from alert_recipients where name = 'Planted'`)).rows[0]).toEqual({ n: 0 });
      expect((await t.deps.db.execute(sql`select name from alert_recipients where id = ${alice.id}`)).rows[0]).toEqual({ name: "Alice Rep" });
    });

    it("updates a rep: switched off, new hours, new number normalized", async () => {
      const r = data(await trpc(as.aAdmin, "mutation", "alertRecipients.create", { name: "Carl", phone: "212-555-0155" }));

      const res = await trpc(as.aAdmin, "mutation", "alertRecipients.update", { id: r.id, active: false, activeHours: null, phone: "212 555 0156" });

      expect(data(res)).toMatchObject({ id: r.id, active: false, activeHours: null, activeHoursText: "always", phone: "+12125550156" });
    });

    it("removes a rep without alerts, and keeps one with alert history but switches it off", async () => {
      const fresh = data(await trpc(as.aAdmin, "mutation", "alertRecipients.create", { name: "Temp", phone: "212-555-0157" }));
      const veteran = await addAlertRecipient(t.deps, a.client.id, { name: "Veteran", phone: "+12125550158" });
      const lead = await t.deps.intake.submit({ client: { id: a.client.id, timezone: "America/New_York", phoneCountry: "US" }, source: "api", campaignId: null, apiKeyId: a.apiKey.id, payload: { ...GOOD_LEAD, phone: "212-555-7001" }, actor: "test" });
      await t.deps.db.execute(sql`insert into alerts (client_id, lead_id, recipient_id, to_phone, body, status) values (${a.client.id}, ${lead.answer.leadId}, ${veteran.id}, ${veteran.phone}, 'x', 'sent')`);

      const removed = await trpc(as.aAdmin, "mutation", "alertRecipients.remove", { id: fresh.id });
      const kept = await trpc(as.aAdmin, "mutation", "alertRecipients.remove", { id: veteran.id });

      expect(data(removed)).toMatchObject({ removed: true, deactivated: false });
      expect(data(kept)).toMatchObject({ removed: false, deactivated: true, message: expect.stringContaining("1 alert on record") });
      expect((await t.deps.db.execute(sql`select active from alert_recipients where id = ${veteran.id}`)).rows[0]).toEqual({ active: false });
      expect((await t.deps.db.execute(sql`select count(*)::int as n from alert_recipients where id = ${fresh.id as string}`)).rows[0]).toEqual({ n: 0 });
    });
  });

  describe("settings", () => {
    it("shows the default template with a preview that links to the portal", async () => {
      const res = await trpc(as.aMember, "query", "alertRecipients.settings.get", {});

      expect(data(res)).toMatchObject({ routing: "everyone", template: null, maxLength: 320, placeholders: ["name", "phone", "source", "campaign", "zip", "link"] });
      expect(data(res).preview).toMatch(/^New lead: Jane Doe \+12125550142 \(form, .*http:\/\/leadledger\.test\/r\/[A-Za-z0-9_-]{22}$/);
      expect(data(res).worstCaseLength as number).toBeLessThanOrEqual(320);
    });

    it("saves a custom template and round robin routing", async () => {
      const res = await trpc(as.aAdmin, "mutation", "alertRecipients.settings.update", { routing: "round_robin", template: "Call {name} now: {phone} ({zip}) {link}" });

      expect(res.status).toBe(200);
      expect(data(res)).toMatchObject({ routing: "round_robin", template: "Call {name} now: {phone} ({zip}) {link}" });
      expect(data(res).preview).toMatch(/^Call Jane Doe now: \+12125550142 \(10001\) http:/);
    });

    it("refuses a template that could render past 320 characters or uses an unknown placeholder", async () => {
      const long = await trpc(as.aAdmin, "mutation", "alertRecipients.settings.update", { template: `${"Hot lead! ".repeat(25)}{name} {campaign} {link}` });
      const unknown = await trpc(as.aAdmin, "mutation", "alertRecipients.settings.update", { template: "Lead {nmae} {link}" });

      expect(long.status).toBe(400);
      expect(errorOf(long).issues![0]!.message).toMatch(/can render to \d+ characters .* stay within 320/);
      expect(unknown.status).toBe(400);
      expect(errorOf(unknown).issues![0]!.message).toContain("{nmae}");
    });

    it("lets a member read but not change the settings; null restores the default template", async () => {
      const member = await trpc(as.aMember, "mutation", "alertRecipients.settings.update", { template: null });
      const agency = await trpc(as.agency, "mutation", "alertRecipients.settings.update", { clientId: a.client.id, template: null, routing: "everyone" });

      expect(member.status).toBe(403);
      expect(data(agency)).toMatchObject({ template: null, routing: "everyone" });
    });
  });

  describe("alert log and speed-to-lead", () => {
    let leadIds: string[] = [];

    beforeAll(async () => {
      const rep = await addAlertRecipient(t.deps, a.client.id, { name: "Logan", phone: "+12125550159" });
      const repB = await addAlertRecipient(t.deps, b.client.id, { name: "Bert", phone: "+14155550101" });
      const submit = async (c: typeof a, phone: string) =>
        (await t.deps.intake.submit({ client: { id: c.client.id, timezone: "America/New_York", phoneCountry: "US" }, source: "api", campaignId: null, apiKeyId: c.apiKey.id, payload: { ...GOOD_LEAD, phone }, actor: "test" })).answer.leadId;
      leadIds = [];
      for (let i = 0; i < 5; i++) leadIds.push(await submit(a, `212-555-71${i}0`));
      const bLead = await submit(b, "212-555-7199");
      // Lead i received at T, sent after (i+1)·10 s, delivered 5 s later; the last one failed.
      const T = "2026-10-01T12:00:00Z";
      for (const [i, id] of leadIds.entries()) {
        await t.deps.db.execute(sql`update leads set received_at = ${T}::timestamptz where id = ${id}`);
        const failed = i === 4;
        await t.deps.db.execute(sql`insert into alerts (client_id, lead_id, recipient_id, to_phone, body, status, sent_at, delivered_at, failed_at, error_code, error_message, created_at)
          values (${a.client.id}, ${id}, ${rep.id}, ${rep.phone}, 'New lead', ${failed ? "failed" : "delivered"},
                  ${T}::timestamptz + make_interval(secs => ${(i + 1) * 10}),
                  ${failed ? null : T}::timestamptz + make_interval(secs => ${(i + 1) * 10 + 5}),
                  ${failed ? T : null}::timestamptz, ${failed ? 21211 : null}, ${failed ? "invalid phone number (Twilio 21211)" : null}, now() - make_interval(secs => ${100 - i}))`);
      }
      await t.deps.db.execute(sql`insert into alerts (client_id, lead_id, recipient_id, to_phone, body, status, sent_at) values (${b.client.id}, ${bLead}, ${repB.id}, ${repB.phone}, 'B lead', 'sent', now())`);
    });

    it("lists failures first with their reasons", async () => {
      const res = await trpc(as.agency, "query", "alerts.list", { clientId: a.client.id });

      const items = data(res) as unknown as { status: string; errorMessage: string | null; recipientName: string; leadId: string }[];
      expect(items[0]).toMatchObject({ status: "failed", errorMessage: "invalid phone number (Twilio 21211)", recipientName: "Logan", leadId: leadIds[4] });
      expect(items.slice(1).every((x) => x.status !== "failed")).toBe(true);
    });

    it("pages through the log in the same order (failures first, then newest), each alert once, and refuses a made-up cursor", async () => {
      const all = (data(await trpc(as.agency, "query", "alerts.list", { clientId: a.client.id })) as unknown as { id: string }[]).map((x) => x.id);
      const paged: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = data(await trpc(as.agency, "query", "alerts.page", { clientId: a.client.id, limit: 2, cursor })) as unknown as { items: { id: string }[]; nextCursor: string | null };
        paged.push(...page.items.map((x) => x.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(all.length).toBeGreaterThan(2);
      expect(paged).toEqual(all);
      expect((await trpc(as.agency, "query", "alerts.page", { cursor: "bm90LWEtY3Vyc29y" })).status).toBe(400);
    });

    it("shows a client user only their own client's alerts, e.g. for one lead", async () => {
      const own = data(await trpc(as.aMember, "query", "alerts.list", { leadId: leadIds[0] })) as unknown as { leadId: string }[];
      const foreign = data(await trpc(as.bAdmin, "query", "alerts.list", { leadId: leadIds[0] })) as unknown as unknown[];
      const namingA = await trpc(as.bAdmin, "query", "alerts.list", { leadId: leadIds[0], clientId: a.client.id });
      const bAll = data(await trpc(as.bAdmin, "query", "alerts.list", {})) as unknown as { clientId: string }[];

      expect(own.map((x) => x.leadId)).toEqual([leadIds[0]]);
      expect(foreign).toEqual([]);
      expect(namingA.status).toBe(404);
      expect(bAll.length).toBeGreaterThan(0);
      expect(bAll.every((x) => x.clientId === b.client.id)).toBe(true);
    });

    it("reports speed-to-lead p50/p90 from lead received to alert sent and delivered", async () => {
      const res = await trpc(as.agency, "query", "alerts.speedToLead", { clientId: a.client.id, from: "2026-10-01T00:00:00Z", to: "2026-10-02T00:00:00Z" });

      // sent after 10, 20, 30, 40, 50 s → p50 30, p90 46 (interpolated); delivered 15, 25, 35, 45 s → p50 30, p90 42.
      expect(data(res)).toMatchObject({
        leads: 5,
        sentLeads: 5,
        sentP50Seconds: 30,
        sentP90Seconds: 46,
        deliveredLeads: 4,
        deliveredP50Seconds: 30,
        deliveredP90Seconds: 42,
      });
    });

    it("scopes speed-to-lead to the client user's own client and validates the range", async () => {
      const mine = data(await trpc(as.bAdmin, "query", "alerts.speedToLead", {}));
      const namingA = await trpc(as.bAdmin, "query", "alerts.speedToLead", { clientId: a.client.id });
      const backwards = await trpc(as.agency, "query", "alerts.speedToLead", { from: "2026-10-02T00:00:00Z", to: "2026-10-01T00:00:00Z" });

      expect(mine).toMatchObject({ clientId: b.client.id, leads: 1, sentLeads: 1 });
      expect(namingA.status).toBe(404);
      expect(backwards.status).toBe(400);
    });
  });
});
