import { and, eq, sql } from "drizzle-orm";
import { apiKeys, campaigns, forms, trackingNumbers } from "../../server/db/schema";
import { createTestContext, fixedClock, loginAgent, seedTenants, SYSTEM, trpc, visible, type TestContext } from "../support/app";
import { count } from "../support/fixtures";

/**
 * The agency's client set-up pages (contract editor, campaigns & forms, API keys, tracking
 * numbers) and the client's contract page, driven through real form posts to the Remix app.
 */

const NOW = "2026-03-10T15:00:00.000Z";

/** Only the words: tags dropped, spaces collapsed (for order-sensitive checks across elements). */
function words(html: string): string {
  return visible(html.replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ");
}

const CONTRACT = {
  qualification: { requiredFields: ["phone", "zip"], serviceArea: { zips: ["10001", "10002", "10003"] } },
  pricing: { leadPriceCents: 7500 },
  disputes: { windowDays: 7, autoApprove: ["duplicate"] },
};

describe("client set-up pages", () => {
  let t: TestContext;
  let s: Awaited<ReturnType<typeof seedTenants>>;
  let admin: Awaited<ReturnType<typeof loginAgent>>;
  const versions = (clientId: string) => count(t.deps, "contract_versions", sql`client_id = ${clientId}`);
  const page = (clientId: string, tab = "") => `/agency/clients/${clientId}${tab ? `/${tab}` : ""}`;

  beforeAll(async () => {
    t = await createTestContext({ clock: fixedClock(NOW) });
    s = await seedTenants(t.deps);
    admin = await loginAgent(t.app, "admin@agency.test");
  });
  afterAll(() => t.close());

  describe("the contract editor", () => {
    it("offers a starter document when the client has no contract yet", async () => {
      const res = await admin.get(page(s.acme.id, "contract"));
      expect(res.status).toBe(200);
      const text = visible(res.text);
      expect(text).toContain("No contract yet");
      expect(text).toContain('"leadPriceCents": 7500');
      expect(text).toContain("Publish version 1");
    });

    it("publishes a contract posted through the editor form and shows the new version", async () => {
      const res = await admin.post(page(s.acme.id, "contract")).type("form").send({ intent: "publish", document: JSON.stringify(CONTRACT) });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/agency/clients/${s.acme.id}/contract?published=1`);

      const after = visible((await admin.get(res.headers.location!)).text);
      expect(after).toContain("Version 1 published.");
      expect(after).toContain("Service area: ZIPs 10001–10003.");
      expect(after).toContain("$75.00 per lead.");
      expect(after).toContain("First version of the contract.");
      expect(after).toContain("Publish version 2");
      expect(await versions(s.acme.id)).toBe(1);
    });

    it("prefills the editor with the latest version, without its effective date", async () => {
      const text = visible((await admin.get(page(s.acme.id, "contract"))).text);
      expect(text).toMatch(/"zips": \["10001", "10002", "10003"\]/);
      expect(text).not.toContain('"effectiveFrom"');
    });

    it("checks a draft: how it reads and what would change, publishing nothing", async () => {
      const draft = { ...CONTRACT, pricing: { leadPriceCents: 8000 } };
      const res = await admin.post(page(s.acme.id, "contract")).type("form").send({ intent: "check", document: JSON.stringify(draft) });
      expect(res.status).toBe(200);
      const text = visible(res.text);
      expect(text).toContain("The document is valid.");
      expect(text).toContain("$80.00 per lead.");
      expect(text).toContain("What would change from version 1");
      expect(text).toContain("Lead price: $75.00 → $80.00");
      expect(await versions(s.acme.id)).toBe(1);
    });

    it("shows every invalid field with its path in plain words and publishes nothing", async () => {
      const bad = {
        ...CONTRACT,
        qualification: { serviceArea: { zips: ["10001", "10002", "10003", "1004"] } },
        pricing: { leadPriceCents: -5 },
        surprise: true,
      };
      const res = await admin.post(page(s.acme.id, "contract")).type("form").send({ intent: "publish", document: JSON.stringify(bad) });
      expect(res.status).toBe(400);
      const text = visible(res.text);
      expect(text).toContain("Nothing was published.");
      expect(text).toContain("Qualification › service area › ZIPs › item 4");
      expect(text).toContain("qualification.serviceArea.zips.3");
      expect(text).toContain("must be a 5-digit ZIP");
      expect(text).toContain("Pricing › price per lead (cents)");
      expect(text).toContain('Unrecognized key: "surprise"');
      // The draft stays in the editor for fixing.
      expect(text).toContain('"1004"');
      expect(await versions(s.acme.id)).toBe(1);
    });

    it("names the line and column of a JSON syntax error", async () => {
      const broken = '{\n  "pricing": { "leadPriceCents": 7500 }\n  "disputes": {}\n}';
      const res = await admin.post(page(s.acme.id, "contract")).type("form").send({ intent: "publish", document: broken });
      expect(res.status).toBe(400);
      const text = visible(res.text);
      expect(text).toContain("The JSON could not be read");
      expect(text).toContain("Line 3, column 3:");
      expect(text).toContain("is a comma missing at the end of the line before?");
      expect(await versions(s.acme.id)).toBe(1);
    });

    it("refuses an effective date before the latest version, next to that field", async () => {
      const res = await admin
        .post(page(s.acme.id, "contract"))
        .type("form")
        .send({ intent: "publish", document: JSON.stringify({ ...CONTRACT, effectiveFrom: "2025-01-01T00:00:00Z" }) });
      expect(res.status).toBe(400);
      const text = visible(res.text);
      expect(text).toContain("Effective from");
      expect(text).toContain("must not be before 2026-03-10T15:00:00.000Z (version 1)");
      expect(await versions(s.acme.id)).toBe(1);
    });

    it("lists a second version in the history with what changed", async () => {
      const res = await admin
        .post(page(s.acme.id, "contract"))
        .type("form")
        .send({ intent: "publish", document: JSON.stringify({ ...CONTRACT, pricing: { leadPriceCents: 8000 } }) });
      expect(res.headers.location).toMatch(/published=2$/);
      const text = visible((await admin.get(res.headers.location!)).text);
      expect(text).toContain("Version 2 published.");
      expect(text).toContain("Lead price: $75.00 → $80.00");
      expect(words(text)).toMatch(/Version 2 In force .*Version 1 Replaced/);
    });
  });

  describe("contracts.preview", () => {
    it("answers the plain-English lines and the changes against the latest version, or the issues", async () => {
      const ok = await trpc(admin, "mutation", "contracts.preview", { clientId: s.acme.id, document: CONTRACT });
      expect(ok.status).toBe(200);
      expect(ok.body.result.data).toMatchObject({ ok: true, against: { version: 2 }, changes: ["Lead price: $80.00 → $75.00"] });
      expect(ok.body.result.data.description).toContain("$75.00 per lead.");

      const bad = await trpc(admin, "mutation", "contracts.preview", { clientId: s.acme.id, document: { pricing: { revshareBps: 20000 } } });
      expect(bad.body.result.data).toEqual({ ok: false, issues: [{ path: ["pricing", "revshareBps"], message: expect.any(String) }] });
    });

    it("is for agency staff only", async () => {
      const client = await loginAgent(t.app, "boss@acme.test");
      const res = await trpc(client, "mutation", "contracts.preview", { clientId: s.acme.id, document: CONTRACT });
      expect(res.status).toBe(403);
    });
  });

  describe("campaigns and forms", () => {
    let defaultCampaignId = "";
    let formId = "";
    beforeAll(async () => {
      const [c] = await t.deps.db.select().from(campaigns).where(and(eq(campaigns.clientId, s.acme.id), eq(campaigns.isDefault, true)));
      defaultCampaignId = c!.id;
    });

    it("creates a form and shows its embed snippet with the public key", async () => {
      const res = await admin.post(page(s.acme.id, "campaigns")).type("form").send({
        intent: "create-form",
        campaignId: defaultCampaignId,
        name: "Spring landing page",
        allowedOrigins: "https://acme.example\nhttps://www.acme.example",
        thankYouUrl: "https://acme.example/thanks",
      });
      expect(res.status).toBe(302);
      const [form] = await t.deps.db.select().from(forms).where(eq(forms.clientId, s.acme.id));
      formId = form!.id;
      expect(res.headers.location).toBe(`/agency/clients/${s.acme.id}/campaigns?form=${form!.id}&created=1`);
      expect(form!.allowedOrigins).toEqual(["https://acme.example", "https://www.acme.example"]);

      const text = visible((await admin.get(res.headers.location!)).text);
      expect(text).toContain("Form created.");
      expect(text).toContain(`<form method="post" action="http://leadledger.test/api/forms/${form!.publicKey}"`);
      expect(text).toContain("Copy snippet");
    });

    it("lists the form under its campaign", async () => {
      const text = visible((await admin.get(page(s.acme.id, "campaigns"))).text);
      expect(text).toContain("Spring landing page");
      expect(text).toContain("https://acme.example, https://www.acme.example");
    });

    it("shows a bad origin next to the origins field and creates nothing", async () => {
      const before = await count(t.deps, "forms", sql`client_id = ${s.acme.id}`);
      const res = await admin
        .post(page(s.acme.id, "campaigns"))
        .type("form")
        .send({ intent: "create-form", campaignId: defaultCampaignId, name: "Bad", allowedOrigins: "https://ok.example\nacme.example/page" });
      expect(res.status).toBe(400);
      expect(visible(res.text)).toContain("line 2 (acme.example/page): must be an origin like https://example.com");
      expect(await count(t.deps, "forms", sql`client_id = ${s.acme.id}`)).toBe(before);
    });

    it("saves a field mapping, which the snippet then uses", async () => {
      const res = await admin
        .post(`${page(s.acme.id, "campaigns")}?form=${formId}`)
        .type("form")
        .send(
          "intent=update-form&id=" +
            formId +
            "&name=Spring+landing+page&allowedOrigins=https%3A%2F%2Facme.example&thankYouUrl=&consentText=&honeypotField=website" +
            "&mapFrom=your_phone&mapTo=phone&mapFrom=&mapTo=",
        );
      expect(res.status).toBe(200);
      const text = visible(res.text);
      expect(text).toContain("Settings of “Spring landing page” saved.");
      const [form] = await t.deps.db.select().from(forms).where(eq(forms.id, formId));
      expect(form!.fieldMapping).toEqual({ your_phone: "phone" });
      expect(form!.thankYouUrl).toBeNull();
      expect(text).toContain('type="tel" name="your_phone"');
    });

    it("disables and re-enables a form", async () => {
      const off = await admin.post(`${page(s.acme.id, "campaigns")}?form=${formId}`).type("form").send({ intent: "disable-form", id: formId });
      expect(off.status).toBe(200);
      expect(visible(off.text)).toContain("no longer accepts leads");
      expect((await t.deps.db.select().from(forms).where(eq(forms.id, formId)))[0]!.status).toBe("disabled");
      await admin.post(`${page(s.acme.id, "campaigns")}?form=${formId}`).type("form").send({ intent: "enable-form", id: formId });
      expect((await t.deps.db.select().from(forms).where(eq(forms.id, formId)))[0]!.status).toBe("active");
    });

    it("answers 404 for another client's form under this client", async () => {
      const otherForm = await t.deps.forms.create(SYSTEM, {
        campaignId: (await t.deps.campaigns.list(SYSTEM, { clientId: s.other.id }))[0]!.id,
        name: "Other's form",
      });
      expect((await admin.get(`${page(s.acme.id, "campaigns")}?form=${otherForm.id}`)).status).toBe(404);
    });

    it("creates a campaign with its attribution", async () => {
      const res = await admin
        .post(page(s.acme.id, "campaigns"))
        .type("form")
        .send({ intent: "create-campaign", name: "Google Search – Roof repair", channel: "google_ads", utmSource: "google", utmMedium: "", utmCampaign: "" });
      expect(res.status).toBe(200);
      expect(visible(res.text)).toContain("Campaign “Google Search – Roof repair” created.");
      expect(visible(res.text)).toContain("Channel: google_ads · utm_source=google");
    });
  });

  describe("API keys", () => {
    it("shows a new key once: a second page load does not contain it", async () => {
      const res = await admin.post(page(s.acme.id, "keys")).type("form").send({ intent: "create-key", name: "Lead vendor A" });
      expect(res.status).toBe(200);
      const text = visible(res.text);
      expect(text).toContain("Copy it now — it won't be shown again.");
      const key = /ll_live_[A-Za-z0-9_-]{20,}/.exec(text)?.[0];
      expect(key).toBeDefined();
      expect(await t.deps.apiKeys.authenticateApiKey(key!)).toMatchObject({ clientId: s.acme.id });

      const again = visible((await admin.get(page(s.acme.id, "keys"))).text);
      expect(again).toContain("Lead vendor A");
      expect(again).toContain(`${key!.slice(0, 12)}…`);
      expect(again).not.toContain(key!);
      expect(again).not.toContain("won't be shown again");
    });

    it("asks before revoking, then revokes", async () => {
      const [key] = await t.deps.db.select().from(apiKeys).where(eq(apiKeys.clientId, s.acme.id));
      const confirm = visible((await admin.get(`${page(s.acme.id, "keys")}?revoke=${key!.id}`)).text);
      expect(confirm).toContain("Revoke “Lead vendor A”?");
      expect(confirm).toContain("This cannot be undone");

      const res = await admin.post(`${page(s.acme.id, "keys")}?revoke=${key!.id}`).type("form").send({ intent: "revoke-key", id: key!.id });
      expect(res.status).toBe(200);
      expect(visible(res.text)).toContain("is revoked");
      expect((await t.deps.db.select().from(apiKeys).where(eq(apiKeys.id, key!.id)))[0]!.revokedAt).not.toBeNull();
    });
  });

  describe("tracking numbers", () => {
    let campaignId = "";
    beforeAll(async () => {
      campaignId = (await t.deps.campaigns.list(SYSTEM, { clientId: s.acme.id }))[0]!.id;
    });

    it("adds a number and shows the warning create returns", async () => {
      const res = await admin
        .post(page(s.acme.id, "numbers"))
        .type("form")
        .send({ intent: "add-number", campaignId, phoneNumber: "+1 212 555 0199", forwardTo: "+1 (212) 555-0100", record: "on", whisperText: "Acme lead", disclosureText: "" });
      expect(res.status).toBe(200);
      const text = visible(res.text);
      expect(text).toContain("(212) 555-0199 now forwards to (212) 555-0100");
      expect(text).toContain("Check the number at Twilio: No Twilio credentials are configured");
      const [n] = await t.deps.db.select().from(trackingNumbers).where(eq(trackingNumbers.phoneNumber, "+12125550199"));
      expect(n).toMatchObject({ forwardTo: "+12125550100", record: true, whisperText: "Acme lead" });
    });

    it("turns on call screening, a fallback number, voicemail and the missed-call text for a number", async () => {
      const res = await admin
        .post(page(s.acme.id, "numbers"))
        .type("form")
        .send({ intent: "add-number", campaignId, phoneNumber: "+12125550197", forwardTo: "+12125550100", screenCalls: "on", fallbackNumber: "+1 212 555 0101", voicemail: "on", textBack: "on", whisperText: "", disclosureText: "" });
      expect(res.status).toBe(200);
      const [n] = await t.deps.db.select().from(trackingNumbers).where(eq(trackingNumbers.phoneNumber, "+12125550197"));
      expect(n).toMatchObject({ screenCalls: true, fallbackNumber: "+12125550101", voicemail: true, textBack: true });
      const edit = visible((await admin.get(`${page(s.acme.id, "numbers")}?edit=${n!.id}`)).text);
      expect(edit).toContain("Press 1 to accept this lead");
    });

    it("shows a bad forward-to number next to its field", async () => {
      const res = await admin
        .post(page(s.acme.id, "numbers"))
        .type("form")
        .send({ intent: "add-number", campaignId, phoneNumber: "+12125550198", forwardTo: "call me", whisperText: "", disclosureText: "" });
      expect(res.status).toBe(400);
      expect(visible(res.text)).toContain("must be an E.164 phone number such as +12125550100");
      expect(await count(t.deps, "tracking_numbers", sql`phone_number = '+12125550198'`)).toBe(0);
    });

    it("edits forwarding and recording, then releases the number", async () => {
      const [n] = await t.deps.db.select().from(trackingNumbers).where(eq(trackingNumbers.phoneNumber, "+12125550199"));
      const edit = await admin
        .post(`${page(s.acme.id, "numbers")}?edit=${n!.id}`)
        .type("form")
        .send({ intent: "update-number", id: n!.id, campaignId, forwardTo: "+12125550111", whisperText: "New whisper", disclosureText: "" });
      expect(edit.status).toBe(302);
      expect(visible((await admin.get(edit.headers.location!)).text)).toContain("Changes to (212) 555-0199 saved.");
      expect((await t.deps.db.select().from(trackingNumbers).where(eq(trackingNumbers.id, n!.id)))[0]).toMatchObject({
        forwardTo: "+12125550111",
        record: false,
        whisperText: "New whisper",
      });

      const confirm = visible((await admin.get(`${page(s.acme.id, "numbers")}?release=${n!.id}`)).text);
      expect(confirm).toContain("Release (212) 555-0199?");
      const release = await admin.post(`${page(s.acme.id, "numbers")}?release=${n!.id}`).type("form").send({ intent: "release-number", id: n!.id });
      expect(release.status).toBe(200);
      expect((await t.deps.db.select().from(trackingNumbers).where(eq(trackingNumbers.id, n!.id)))[0]!.status).toBe("released");
    });

    it("answers 404 when a number of another client is changed through this client's page", async () => {
      const otherCampaign = (await t.deps.campaigns.list(SYSTEM, { clientId: s.other.id }))[0]!.id;
      const created = await t.deps.trackingNumbers.create(SYSTEM, { campaignId: otherCampaign, phoneNumber: "+13105550100", forwardTo: "+13105550101" });
      const res = await admin.post(page(s.acme.id, "numbers")).type("form").send({ intent: "release-number", id: created.id });
      expect(res.status).toBe(404);
      expect((await t.deps.db.select().from(trackingNumbers).where(eq(trackingNumbers.id, created.id)))[0]!.status).toBe("active");
    });
  });

  describe("who may see what", () => {
    it("answers 403 to a client user on every agency set-up page and publishes nothing", async () => {
      const client = await loginAgent(t.app, "boss@acme.test");
      for (const tab of ["", "contract", "campaigns", "keys", "numbers"]) {
        expect((await client.get(page(s.acme.id, tab))).status).toBe(403);
      }
      const before = await versions(s.acme.id);
      const res = await client.post(page(s.acme.id, "contract")).type("form").send({ intent: "publish", document: JSON.stringify(CONTRACT) });
      expect(res.status).toBe(403);
      expect(await versions(s.acme.id)).toBe(before);
    });

    it("answers 404 for an unknown client", async () => {
      expect((await admin.get(page("00000000-0000-4000-8000-000000000000", "contract"))).status).toBe(404);
      expect((await admin.get("/agency/clients/not-an-id/keys")).status).toBe(404);
    });

    it("shows a client user its own contract at /portal/contract and never another client's", async () => {
      await t.deps.contracts.publish(SYSTEM, {
        clientId: s.other.id,
        document: { qualification: { serviceArea: { zips: ["94105"] } }, pricing: { leadPriceCents: 4200 } },
      });
      const acmeUser = await loginAgent(t.app, "rep@acme.test");
      const mine = await acmeUser.get("/portal/contract");
      expect(mine.status).toBe(200);
      const text = visible(mine.text);
      expect(text).toContain("Your contract");
      expect(words(text)).toMatch(/Version 2 In force/);
      expect(text).toContain("$80.00 per lead.");
      expect(text).toContain("Lead price: $75.00 → $80.00");
      expect(text).not.toContain("94105");
      expect(text).not.toContain("$42.00");

      const otherUser = await loginAgent(t.app, "boss@other.test");
      const theirs = visible((await otherUser.get(`/portal/contract?clientId=${s.acme.id}`)).text);
      expect(theirs).toContain("Service area: ZIP 94105.");
      expect(theirs).not.toContain("$80.00");
    });

    it("shows the Contract item in the portal navigation", async () => {
      const acmeUser = await loginAgent(t.app, "rep@acme.test");
      expect((await acmeUser.get("/portal")).text).toContain('href="/portal/contract"');
    });
  });
});
