import type { Config } from "../../config";
import type { SmsSender } from "../../domain/alerts/sms-sender";
import { createTwilioClient, type TwilioClient } from "./client";
import { DEFAULT_FAKE_ACCOUNT_SID, DEFAULT_FAKE_AUTH_TOKEN, DEFAULT_FAKE_FROM } from "./fake-twilio-server";
import { createTwilioSmsSender } from "./sms-sender";

/** Everything the app needs from Twilio, resolved once from the configuration. */
export interface TwilioRuntime {
  accountSid: string;
  authToken: string;
  /** Where the SDK's requests go: TWILIO_API_BASE, the local fake, or undefined for api.twilio.com. */
  apiBase: string | undefined;
  /** True when no credentials are configured and the local fake Twilio stands in. */
  fake: boolean;
  client: TwilioClient;
  sms: SmsSender;
}

export function twilioRuntime(config: Config, overrides: { apiBase?: string } = {}): TwilioRuntime {
  const fake = !config.TWILIO_ACCOUNT_SID;
  const accountSid = config.TWILIO_ACCOUNT_SID ?? DEFAULT_FAKE_ACCOUNT_SID;
  const authToken = config.TWILIO_AUTH_TOKEN ?? DEFAULT_FAKE_AUTH_TOKEN;
  const apiBase = overrides.apiBase ?? config.TWILIO_API_BASE;
  const client = createTwilioClient({ accountSid, authToken, apiBase, timeoutMs: 10_000 });
  const sms = createTwilioSmsSender({
    client,
    from: config.TWILIO_FROM_NUMBER ?? (fake ? DEFAULT_FAKE_FROM : undefined),
    messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
    timeoutMs: 10_000,
  });
  return { accountSid, authToken, apiBase, fake, client, sms };
}
