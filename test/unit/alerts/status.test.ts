import { alertStatusFromTwilio, canMove, describeSmsError, retryDelayMs, smsErrorPermanence, DEFAULT_RETRY_POLICY, type AlertStatus } from "../../../server/domain/alerts/status";
import { helpReplyText, inboundKeyword } from "../../../server/domain/alerts/callbacks";

describe("alert status moves", () => {
  it.each<[AlertStatus, AlertStatus, boolean]>([
    ["pending", "sending", true],
    ["sending", "sent", true],
    ["sent", "delivered", true],
    ["sent", "undelivered", true],
    ["sending", "failed", true],
    ["delivered", "sent", false],
    ["delivered", "failed", false],
    ["failed", "delivered", false],
    ["skipped", "sent", false],
    ["sent", "sent", false],
  ])("%s → %s allowed: %s", (from, to, allowed) => {
    expect(canMove(from, to)).toBe(allowed);
  });

  it("maps Twilio's message statuses to ours", () => {
    expect(["queued", "accepted", "sending", "sent"].map(alertStatusFromTwilio)).toEqual(["sent", "sent", "sent", "sent"]);
    expect(alertStatusFromTwilio("delivered")).toBe("delivered");
    expect(alertStatusFromTwilio("undelivered")).toBe("undelivered");
    expect(alertStatusFromTwilio("failed")).toBe("failed");
    expect(alertStatusFromTwilio("received")).toBeNull();
  });

  it("understands a messaging service's scheduled, WhatsApp's read, partially_delivered and canceled", () => {
    expect(["scheduled", "read", "partially_delivered", "canceled"].map(alertStatusFromTwilio)).toEqual(["sent", "delivered", "delivered", "failed"]);
  });

  it("classifies Twilio error codes once: delivery errors 30005/30006 and 21610 permanent, 30003 (phone off) and 20429 transient", () => {
    expect([30005, 30006, 21610, 30003, 20429, 12345, null].map(smsErrorPermanence)).toEqual(["permanent", "permanent", "permanent", "transient", "transient", null, null]);
  });

  it("explains Twilio errors in words", () => {
    expect(describeSmsError(21610)).toBe("recipient replied STOP — opted out (Twilio 21610)");
    expect(describeSmsError(21211)).toBe("invalid phone number (Twilio 21211)");
    expect(describeSmsError(99999, "odd")).toBe("odd (Twilio 99999)");
    expect(describeSmsError(null, "timed out")).toBe("timed out");
  });
});

describe("retry backoff", () => {
  it("doubles per attempt, within ± jitter, capped, and honours Retry-After", () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 10_000, jitter: 0.2 };
    expect(retryDelayMs(1, p, 0.5)).toBe(1000);
    expect(retryDelayMs(3, p, 0.5)).toBe(4000);
    expect(retryDelayMs(3, p, 0)).toBe(3200);
    expect(retryDelayMs(3, p, 0.999999)).toBe(4800);
    expect(retryDelayMs(10, p, 0.5)).toBe(10_000);
    expect(retryDelayMs(1, p, 0.5, 7000)).toBe(7000);
  });
});

describe("inbound SMS keywords", () => {
  it.each(["STOP", "stop", " Stop. ", "STOPALL", "unsubscribe", "CANCEL", "end", "QUIT"])("%p opts out", (body) => {
    expect(inboundKeyword(body)).toBe("opt_out");
  });
  it.each(["START", "yes", "Unstop"])("%p opts back in", (body) => {
    expect(inboundKeyword(body)).toBe("opt_in");
  });
  it("recognizes HELP and nothing inside a longer message", () => {
    expect(inboundKeyword("help")).toBe("help");
    expect(inboundKeyword("please stop sending")).toBeNull();
    expect(inboundKeyword("Thanks, calling them now")).toBeNull();
  });
  it("words the HELP reply with the agency and its support phone", () => {
    expect(helpReplyText("Acme Agency", "+18005550100")).toBe("Acme Agency lead alerts. Reply STOP to opt out. Help: +18005550100");
  });
});
