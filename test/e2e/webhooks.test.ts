import { Webhook } from "standardwebhooks";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";
import { browserAndServer, login, shot, until } from "./support";

/**
 * A client admin connects their CRM in the portal: adds the URL, copies the signing secret shown
 * once, clicks Send test event, and their receiver gets a signed webhook it can verify.
 */
describe("a client admin connects a webhook in the portal", () => {
  const ctx = browserAndServer();
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver.close());

  it("adds the URL, sends a test event, and the local receiver gets it signed", async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(page, ctx.server.url, "owner@brooklynroofing.demo", "e2e-admin-password");
    await page.getByRole("link", { name: "Webhooks & e-mail" }).click();
    await page.getByRole("heading", { name: "Webhooks & e-mail" }).waitFor();

    await page.getByLabel("URL").fill(receiver.url);
    await page.getByLabel("Description").fill("My CRM");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.locator("#webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    receiver.verifyWith(secret);
    await shot(page, "webhooks-endpoint-added");

    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByText(/Test event sent/).waitFor();
    await receiver.waitFor(1);

    const got = receiver.received[0]!;
    expect(got.verified).toBe(true);
    expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({ type: "webhook.test", data: { test: true } });
    await until("the delivery shows as delivered", async () => {
      await page.reload();
      return (await page.getByRole("cell", { name: "delivered" }).count()) > 0;
    });
    await shot(page, "webhooks-test-event-delivered");
  });
});
