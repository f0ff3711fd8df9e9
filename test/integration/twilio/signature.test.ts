import { createHmac } from "node:crypto";
import { signTwilioRequest, twilioWebhookUrl, verifyTwilioSignature } from "../../../server/integrations/twilio/signature";

const authToken = "signature-test-token-0001";
const publicUrl = "https://leads.example.com";
const params = {
  CallSid: "CA" + "0".repeat(32),
  From: "+12125550143",
  To: "+18005550100",
  CallStatus: "ringing",
};

/** Twilio's documented algorithm, written out independently of the SDK. */
function documentedSignature(token: string, url: string, p: Record<string, string>): string {
  const data = Object.keys(p)
    .sort()
    .reduce((acc, k) => acc + k + p[k], url);
  return createHmac("sha1", token).update(data, "utf8").digest("base64");
}

describe("verifyTwilioSignature", () => {
  it("accepts a request signed for PUBLIC_URL + path", () => {
    const signature = signTwilioRequest(authToken, "https://leads.example.com/twilio/voice", params);

    expect(verifyTwilioSignature({ authToken, publicUrl, path: "/twilio/voice", params, signature })).toBe(true);
  });

  it("accepts a signature computed by Twilio's documented HMAC-SHA1 algorithm", () => {
    const signature = documentedSignature(authToken, "https://leads.example.com/twilio/voice", params);

    expect(verifyTwilioSignature({ authToken, publicUrl, path: "/twilio/voice", params, signature })).toBe(true);
  });

  it("includes the query string in the signed URL", () => {
    const signature = signTwilioRequest(authToken, "https://leads.example.com/twilio/voice?number=abc", params);

    expect(verifyTwilioSignature({ authToken, publicUrl, path: "/twilio/voice?number=abc", params, signature })).toBe(true);
    expect(verifyTwilioSignature({ authToken, publicUrl, path: "/twilio/voice", params, signature })).toBe(false);
  });

  it("rejects a request whose parameters were altered after signing", () => {
    const signature = signTwilioRequest(authToken, "https://leads.example.com/twilio/voice", params);

    const tampered = { ...params, From: "+12125550199" };
    expect(verifyTwilioSignature({ authToken, publicUrl, path: "/twilio/voice", params: tampered, signature })).toBe(false);
    const extra = { ...params, DialCallDuration: "300" };
    expect(verifyTwilioSignature({ authToken, publicUrl, path: "/twilio/voice", params: extra, signature })).toBe(false);
  });

  it("rejects a signature made with another auth token", () => {
    const signature = signTwilioRequest("some-other-token-9999", "https://leads.example.com/twilio/voice", params);

    expect(verifyTwilioSignature({ authToken, publicUrl, path: "/twilio/voice", params, signature })).toBe(false);
  });

  it("rejects a signature made for another URL", () => {
    const signature = signTwilioRequest(authToken, "https://leads.example.com/twilio/voice", params);

    expect(verifyTwilioSignature({ authToken, publicUrl, path: "/twilio/sms/status", params, signature })).toBe(false);
    // what Express sees behind a proxy is not what Twilio signed
    expect(verifyTwilioSignature({ authToken, publicUrl: "http://127.0.0.1:3000", path: "/twilio/voice", params, signature })).toBe(false);
  });

  it("rejects a missing or empty signature header", () => {
    expect(verifyTwilioSignature({ authToken, publicUrl, path: "/twilio/voice", params, signature: undefined })).toBe(false);
    expect(verifyTwilioSignature({ authToken, publicUrl, path: "/twilio/voice", params, signature: "" })).toBe(false);
  });

  it("works when PUBLIC_URL carries a path prefix, with or without a trailing slash", () => {
    const signature = signTwilioRequest(authToken, "https://example.com/leadledger/twilio/sms/status", params);

    expect(verifyTwilioSignature({ authToken, publicUrl: "https://example.com/leadledger", path: "/twilio/sms/status", params, signature })).toBe(true);
    expect(verifyTwilioSignature({ authToken, publicUrl: "https://example.com/leadledger/", path: "/twilio/sms/status", params, signature })).toBe(true);
    expect(verifyTwilioSignature({ authToken, publicUrl: "https://example.com", path: "/twilio/sms/status", params, signature })).toBe(false);
  });
});

describe("twilioWebhookUrl", () => {
  it("joins PUBLIC_URL and the path with exactly one slash", () => {
    expect(twilioWebhookUrl("https://example.com/app/", "/twilio/voice?x=1")).toBe("https://example.com/app/twilio/voice?x=1");
    expect(twilioWebhookUrl("https://example.com", "twilio/voice")).toBe("https://example.com/twilio/voice");
  });
});
