import { forbiddenAddressReason } from "../../../server/domain/webhooks/addresses";
import { checkEndpointUrl } from "../../../server/domain/webhooks/endpoints";
import { applyFieldMapping, canonicalJson, envelope } from "../../../server/domain/webhooks/payload";
import { DEFAULT_DELIVERY_POLICY, judgeAttempt, parseRetryAfter, retryDelayAfter } from "../../../server/domain/webhooks/retry";
import { signPayload } from "../../../server/domain/webhooks/signing";

describe("which addresses a webhook may reach in production", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["10.0.0.5", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local (cloud metadata)"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast or reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fd00::1", "private (unique local)"],
    ["fe80::1", "link-local"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local (cloud metadata)"],
  ])("refuses %s (%s)", (ip, why) => {
    expect(forbiddenAddressReason(ip)).toBe(why);
  });

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows the public address %s", (ip) => {
    expect(forbiddenAddressReason(ip)).toBeNull();
  });
});

describe("endpoint URLs", () => {
  it("takes https anywhere and http only for this machine outside production", () => {
    expect(checkEndpointUrl("https://crm.example.com/hooks", true)).toBe("https://crm.example.com/hooks");
    expect(checkEndpointUrl("http://localhost:4000/", false)).toBe("http://localhost:4000/");
    expect(() => checkEndpointUrl("http://localhost:4000/", true)).toThrow(/https/);
    expect(() => checkEndpointUrl("http://crm.example.com/", false)).toThrow(/https/);
    expect(() => checkEndpointUrl("https://user:pw@crm.example.com/", true)).toThrow(/user name/);
    expect(() => checkEndpointUrl("https://192.168.0.10/", true)).toThrow(/private/);
    expect(() => checkEndpointUrl("not a url", true)).toThrow(/not valid/);
  });
});

describe("the retry schedule", () => {
  const mid = () => 0.5;
  it("waits 5 s, 1 min, 5 min, 30 min, 2 h, 6 h, then 12 h four times, and gives up after 11 attempts", () => {
    const delays = Array.from({ length: 11 }, (_, i) => retryDelayAfter(DEFAULT_DELIVERY_POLICY, i + 1, mid));
    expect(delays).toEqual([5_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000, 43_200_000, 43_200_000, 43_200_000, null]);
    const total = (delays.slice(0, 10) as number[]).reduce((a, b) => a + b, 0);
    expect(total / 86_400_000).toBeCloseTo(2.36, 1);
  });

  it("jitters by at most 20 % and never retries before Retry-After", () => {
    expect(retryDelayAfter(DEFAULT_DELIVERY_POLICY, 2, () => 0)).toBe(48_000);
    expect(retryDelayAfter(DEFAULT_DELIVERY_POLICY, 2, () => 1)).toBe(72_000);
    expect(retryDelayAfter(DEFAULT_DELIVERY_POLICY, 1, mid, 120_000)).toBe(120_000);
    expect(retryDelayAfter(DEFAULT_DELIVERY_POLICY, 1, mid, 30 * 86_400_000)).toBe(DEFAULT_DELIVERY_POLICY.maxRetryAfterMs);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = new Date("2026-12-07T12:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Mon, 07 Dec 2026 12:10:00 GMT", now)).toBe(600_000);
    expect(parseRetryAfter("soon", now)).toBeNull();
  });

  it("counts only 2xx as delivered, disables on 410, retries everything else", () => {
    const now = new Date();
    expect(judgeAttempt(204, null, now)).toEqual({ kind: "delivered" });
    expect(judgeAttempt(410, null, now)).toEqual({ kind: "gone" });
    for (const status of [301, 302, 400, 401, 404, 500, 503, null]) expect(judgeAttempt(status, null, now).kind).toBe("retry");
    expect(judgeAttempt(429, "30", now)).toEqual({ kind: "retry", retryAfterMs: 30_000 });
  });
});

describe("bodies", () => {
  it("renames fields and adds constants, leaving the rest", () => {
    const body = envelope("lead.qualified", "evt_1", new Date("2026-12-07T00:00:00Z"), { lead: { contact: { firstName: "Ann", phone: "+12125550142" } } });
    const mapped = applyFieldMapping(body, { rename: [{ from: "data.lead.contact.firstName", to: "first_name" }, { from: "data.missing", to: "x" }], constants: { "crm.source": "leadledger", __proto__: "no" } as never });
    expect(mapped).toMatchObject({ first_name: "Ann", crm: { source: "leadledger" }, data: { lead: { contact: { phone: "+12125550142" } } } });
    expect(mapped).not.toHaveProperty("x");
    expect((mapped.data as { lead: { contact: object } }).lead.contact).not.toHaveProperty("firstName");
    expect(body.data).toEqual({ lead: { contact: { firstName: "Ann", phone: "+12125550142" } } });
  });

  it("serializes with sorted keys, so a body read back from the database gives the same bytes", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it("signs as Standard Webhooks does: base64 HMAC-SHA256 of id.timestamp.body keyed by the secret's bytes", () => {
    // The example from the Standard Webhooks specification.
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    expect(signPayload(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}')).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });
});
