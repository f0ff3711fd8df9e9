import { startFakeTwilio as startLooseFakeTwilio, type FakeTwilio, type StartFakeTwilioOptions } from "../../server/integrations/twilio/fake-twilio-server";
import { twilioOaiValidator } from "./twilio-oai";

/**
 * A fixed fake-Twilio auth token for tests only: test contexts pass it explicitly to createDeps and
 * to startFakeTwilio. The product never uses it — without credentials each install gets its own
 * random token under DATA_DIR (server/integrations/twilio/local-token.ts).
 */
export const TEST_TWILIO_AUTH_TOKEN = "test-only-fake-twilio-token-7c2e";

/**
 * The fake Twilio as strict as Twilio: every request the product sends and every answer the fake
 * gives is checked against Twilio's OpenAPI description (test/support/twilio-oai.ts). A request
 * Twilio would refuse is answered 400, and `stop()` — every suite's afterAll — throws with the
 * list, so the suite fails even when the product swallowed the 400.
 */
export async function startFakeTwilio(opts: Omit<StartFakeTwilioOptions, "validator">): Promise<FakeTwilio> {
  const fake = await startLooseFakeTwilio({ ...opts, validator: twilioOaiValidator() });
  const stop = fake.stop.bind(fake);
  fake.stop = async () => {
    await stop();
    if (fake.violations.length) throw new Error(`the fake Twilio saw what Twilio would refuse:\n${fake.violations.join("\n")}`);
  };
  return fake;
}
