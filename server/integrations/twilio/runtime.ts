import type { Config } from "../../config";
import { SmsSendError, type SmsSender } from "../../domain/alerts/sms-sender";
import { createTwilioClient, type TwilioClient } from "./client";
import { DEFAULT_FAKE_ACCOUNT_SID, DEFAULT_FAKE_FROM } from "./fake-twilio-server";
import { fakeTwilioTokenPath, loadOrCreateFakeTwilioToken, tokenFingerprint } from "./local-token";
import { createTwilioSmsSender } from "./sms-sender";

/**
 * How this install talks to Twilio:
 * - `credentials`: TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN are set — the real account (or TWILIO_API_BASE);
 * - `local-fake`: no credentials outside production — a local fake Twilio whose auth token is random
 *   per install (`${DATA_DIR}/fake-twilio-token`, see local-token.ts);
 * - `not-configured`: no credentials in production — /twilio/* answers 503, SMS alerts fail
 *   permanently, no fake is started.
 */
export type TwilioMode = "credentials" | "local-fake" | "not-configured";

export function twilioMode(config: Pick<Config, "NODE_ENV" | "TWILIO_ACCOUNT_SID" | "TWILIO_AUTH_TOKEN">): TwilioMode {
  if (config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN) return "credentials";
  return config.NODE_ENV === "production" ? "not-configured" : "local-fake";
}

/** The reason given by /twilio/* (503 TWILIO_NOT_CONFIGURED) and by every SMS attempt in `not-configured` mode. */
export const TWILIO_NOT_CONFIGURED = "Twilio is not configured: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to receive tracked calls and send SMS alerts.";

/** Everything the app needs from Twilio, resolved once from the configuration. */
export interface TwilioRuntime {
  mode: TwilioMode;
  accountSid: string;
  /**
   * The key of the X-Twilio-Signature check: TWILIO_AUTH_TOKEN, the install's stored fake token
   * (read or created on first use), or "" when Twilio is not configured (nothing verifies then).
   */
  readonly authToken: string;
  /** Where the SDK's requests go: TWILIO_API_BASE, the local fake, or undefined for api.twilio.com. */
  apiBase: string | undefined;
  /** True when no credentials are configured and the local fake Twilio stands in (`local-fake`). */
  fake: boolean;
  /** The SDK client; throws in `not-configured` mode. */
  readonly client: TwilioClient;
  sms: SmsSender;
}

export interface TwilioRuntimeOverrides {
  apiBase?: string;
  /**
   * The local fake's auth token in `local-fake` mode, instead of the one stored under DATA_DIR
   * (server/main.ts passes the token it started the fake with; tests pass one of their own).
   */
  fakeAuthToken?: string;
}

/** An SmsSender that never pretends: every attempt fails permanently with TWILIO_NOT_CONFIGURED. */
export const notConfiguredSmsSender: SmsSender = {
  send() {
    return Promise.reject(new SmsSendError(TWILIO_NOT_CONFIGURED, { permanent: true }));
  },
  findSent() {
    return Promise.resolve([]);
  },
};

function once<T>(make: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value;
  };
}

export function twilioRuntime(config: Config, overrides: TwilioRuntimeOverrides = {}): TwilioRuntime {
  const mode = twilioMode(config);
  const fake = mode === "local-fake";
  const accountSid = config.TWILIO_ACCOUNT_SID ?? DEFAULT_FAKE_ACCOUNT_SID;
  const apiBase = overrides.apiBase ?? config.TWILIO_API_BASE;
  // Lazy, so that building the deps (CLI commands, tests that never touch Twilio) writes no token file.
  const authToken = once((): string => {
    if (mode === "credentials") return config.TWILIO_AUTH_TOKEN!;
    if (mode === "not-configured") return "";
    return overrides.fakeAuthToken ?? loadOrCreateFakeTwilioToken(config.DATA_DIR);
  });
  const client = once((): TwilioClient => {
    if (mode === "not-configured") throw new Error(TWILIO_NOT_CONFIGURED);
    return createTwilioClient({ accountSid, authToken: authToken(), apiBase, timeoutMs: config.TWILIO_TIMEOUT_MS });
  });
  const sender = once(() =>
    createTwilioSmsSender({
      client: client(),
      from: config.TWILIO_FROM_NUMBER ?? (fake ? DEFAULT_FAKE_FROM : undefined),
      messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
      timeoutMs: config.TWILIO_TIMEOUT_MS,
    }),
  );
  const sms: SmsSender =
    mode === "not-configured"
      ? notConfiguredSmsSender
      : {
          send: (msg) => sender().send(msg),
          findSent: (to, body, sinceMs) => sender().findSent?.(to, body, sinceMs) ?? Promise.resolve([]),
        };
  return {
    mode,
    accountSid,
    get authToken() {
      return authToken();
    },
    apiBase,
    fake,
    get client() {
      return client();
    },
    sms,
  };
}

/**
 * The start-up banner's Twilio lines (server/main.ts): plain about what works. Never prints a token,
 * only its fingerprint.
 */
export function twilioBannerLines(input: {
  mode: TwilioMode;
  config: Pick<Config, "DATA_DIR" | "TWILIO_ACCOUNT_SID" | "TWILIO_API_BASE">;
  /** The running local fake's URL (local-fake mode). */
  fakeUrl?: string;
  /** The local fake's auth token (local-fake mode), shown as a fingerprint. */
  fakeAuthToken?: string;
}): string[] {
  const { mode, config } = input;
  if (mode === "credentials") return [`  twilio:   account ${config.TWILIO_ACCOUNT_SID}${config.TWILIO_API_BASE ? ` via ${config.TWILIO_API_BASE}` : ""}`];
  if (mode === "not-configured") {
    return [
      "  twilio:   NOT CONFIGURED (no TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN): tracked calls and SMS alerts are off.",
      "            /twilio/* webhooks answer 503 and every SMS alert fails with \"Twilio is not configured\" until both are set.",
    ];
  }
  const token = input.fakeAuthToken ? `; auth token fingerprint ${tokenFingerprint(input.fakeAuthToken)}, kept in ${fakeTwilioTokenPath(config.DATA_DIR)}` : "";
  return [`  twilio:   local fake Twilio at ${input.fakeUrl ?? "?"} (no TWILIO_ACCOUNT_SID set): SMS are recorded there, not sent${token}`];
}
