/**
 * A fixed fake-Twilio auth token for tests only: test contexts pass it explicitly to createDeps and
 * to startFakeTwilio. The product never uses it — without credentials each install gets its own
 * random token under DATA_DIR (server/integrations/twilio/local-token.ts).
 */
export const TEST_TWILIO_AUTH_TOKEN = "test-only-fake-twilio-token-7c2e";
