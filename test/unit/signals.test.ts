import { contractDocumentSchema, type SignalRule } from "../../server/domain/contracts/contract-document";
import { describeContract, signalStatement } from "../../server/domain/qualification/describe";
import { evaluate } from "../../server/domain/qualification/evaluate";
import { checkEmail } from "../../server/domain/signals/email";
import { signalInputsOf } from "../../server/domain/signals/inputs";
import { qualityOf } from "../../server/domain/signals/quality";
import { evaluateSignalRule, type LeadSignals } from "../../server/domain/signals/signals";

/** A clean lead: a mobile, a personal e-mail, an IP in the ZIP's state, first of its kind. */
function clean(over: { [K in keyof LeadSignals]?: Partial<LeadSignals[K]> } = {}): LeadSignals {
  return {
    phone: { status: "checked", valid: true, lineType: "mobile", carrier: "Verizon Wireless", ...over.phone },
    email: { status: "checked", valid: true, disposable: false, role: false, domain: "example.com", ...over.email },
    ip: { address: "72.229.28.185", status: "located", country: "US", region: "NY", city: "New York", matchesZipState: true, ...over.ip },
    velocity: { ipPerHour: 1, ipPerDay: 1, phonePerDay: 1, devicePerHour: null, ...over.velocity },
    consent: { trustedFormCertUrl: null, jornayaLeadId: null, claim: null, ...over.consent },
  };
}

describe("signal rules", () => {
  const cases: [string, SignalRule, LeadSignals, "pass" | "fail" | "unknown"][] = [
    ["line type in a list", { signal: "phone.lineType", op: "in", value: ["mobile", "landline"] }, clean(), "pass"],
    ["VoIP not in the list", { signal: "phone.lineType", op: "in", value: ["mobile", "landline"] }, clean({ phone: { lineType: "nonFixedVoip" } }), "fail"],
    ["line type not_in", { signal: "phone.lineType", op: "not_in", value: ["tollFree"] }, clean({ phone: { lineType: "tollFree" } }), "fail"],
    ["unchecked phone is unknown", { signal: "phone.lineType", op: "in", value: ["mobile"] }, clean({ phone: { status: "unavailable", valid: null, lineType: null, carrier: null } }), "unknown"],
    ["disposable equals false", { signal: "email.disposable", op: "equals", value: false }, clean({ email: { disposable: true } }), "fail"],
    ["IP matches the ZIP", { signal: "ip.matchesZipState", op: "equals", value: true }, clean({ ip: { matchesZipState: false } }), "fail"],
    ["velocity at the maximum", { signal: "velocity.ipPerHour", op: "max", value: 3 }, clean({ velocity: { ipPerHour: 3 } }), "pass"],
    ["velocity beyond the maximum", { signal: "velocity.ipPerHour", op: "max", value: 3 }, clean({ velocity: { ipPerHour: 4 } }), "fail"],
    ["no IP is unknown", { signal: "velocity.ipPerHour", op: "max", value: 3 }, clean({ velocity: { ipPerHour: null } }), "unknown"],
    ["quality min", { signal: "quality.score", op: "min", value: 50 }, clean({ email: { disposable: true }, phone: { lineType: "nonFixedVoip" } }), "fail"],
    ["carrier equals, case-insensitive", { signal: "phone.carrier", op: "equals", value: "verizon wireless" }, clean(), "pass"],
    ["certificate given", { signal: "consent.certificate", op: "equals", value: true }, clean(), "fail"],
  ];
  it.each(cases)("%s", (_name, rule, signals, expected) => {
    expect(evaluateSignalRule(rule, signals, qualityOf(signals).score).result).toBe(expected);
  });

  it("reads rules as sentences", () => {
    expect(signalStatement({ signal: "phone.lineType", op: "in", value: ["mobile", "landline"] })).toBe("the phone line type is mobile or landline");
    expect(signalStatement({ signal: "email.disposable", op: "equals", value: false })).toBe("the e-mail is not at a disposable domain");
    expect(signalStatement({ signal: "ip.matchesZipState", op: "equals", value: true })).toBe("the visitor's IP is in the ZIP's state");
    expect(signalStatement({ signal: "velocity.ipPerHour", op: "max", value: 3 })).toBe("at most 3 leads from the same IP in an hour");
    expect(signalStatement({ signal: "quality.score", op: "min", value: 50 })).toBe("the quality score is at least 50");
  });

  it("shows signal rules and signal-approved disputes in the contract's words", () => {
    const doc = contractDocumentSchema.parse({
      qualification: { signals: [{ signal: "email.disposable", op: "equals", value: false }] },
      disputes: { approveOnSignals: [{ reason: "wrong_number", when: { signal: "phone.valid", op: "equals", value: false } }] },
    });
    const lines = describeContract(doc);
    expect(lines).toContain("Required: the e-mail is not at a disposable domain.");
    expect(lines.join("\n")).toContain("wrong numbers are approved at once when the phone number is not a valid number");
  });

  it("refuses an unknown signal and a dispute term for a reason the contract does not allow", () => {
    expect(contractDocumentSchema.safeParse({ qualification: { signals: [{ signal: "phone.colour", op: "equals", value: "red" }] } }).success).toBe(false);
    const bad = contractDocumentSchema.safeParse({ disputes: { reasons: ["spam"], approveOnSignals: [{ reason: "wrong_number", when: { signal: "phone.valid", op: "equals", value: false } }] } });
    expect(bad.success).toBe(false);
  });

  it("judges with signal rules: a failing rule rejects, an unanswered one is informational and the lead qualifies", () => {
    const version = { id: "v1", document: contractDocumentSchema.parse({ qualification: { signals: [{ signal: "phone.lineType", op: "in", value: ["mobile"] }] } }) };
    const lead = { source: "api" as const, phoneValid: true, fields: {}, receivedAt: new Date("2026-03-02T15:00:00Z"), honeypotFilled: false };
    const facts = { timezone: "America/New_York", earlierDuplicate: null };
    const voip = evaluate(version, { ...lead, signals: clean({ phone: { lineType: "nonFixedVoip" } }) }, facts);
    const unknown = evaluate(version, { ...lead, signals: clean({ phone: { status: "unavailable", valid: null, lineType: null, carrier: null } }) }, facts);
    const none = evaluate(version, lead, facts);

    expect(voip).toMatchObject({ qualified: false, reasons: [{ code: "SIGNAL_RULE_FAILED", effect: "reject" }], quality: { score: 75 } });
    expect(unknown).toMatchObject({ qualified: true, reasons: [{ code: "SIGNAL_UNAVAILABLE", effect: "info", message: expect.stringMatching(/^Phone check unavailable/) }] });
    expect(none).toEqual({ qualified: true, billable: true, contractVersionId: "v1", reasons: [] });
  });
});

describe("the quality score formula", () => {
  const table: [string, LeadSignals, number][] = [
    ["a clean lead", clean(), 100],
    ["invalid phone", clean({ phone: { valid: false, lineType: null, carrier: null } }), 55],
    ["toll-free", clean({ phone: { lineType: "tollFree" } }), 70],
    ["internet VoIP", clean({ phone: { lineType: "nonFixedVoip" } }), 75],
    ["fixed VoIP", clean({ phone: { lineType: "fixedVoip" } }), 90],
    ["phone not checked", clean({ phone: { status: "unavailable", valid: null, lineType: null, carrier: null } }), 95],
    ["no phone", clean({ phone: { status: "no_phone", valid: null, lineType: null, carrier: null } }), 90],
    ["disposable + role", clean({ email: { disposable: true, role: true } }), 60],
    ["bad e-mail syntax", clean({ email: { valid: false, disposable: null, role: null } }), 75],
    ["IP abroad", clean({ ip: { country: "GB", region: "ENG", matchesZipState: false } }), 80],
    ["IP in another state", clean({ ip: { region: "NJ", matchesZipState: false } }), 90],
    ["6th lead from an IP in an hour", clean({ velocity: { ipPerHour: 6 } }), 70],
    ["20th lead from an IP in an hour (capped)", clean({ velocity: { ipPerHour: 20 } }), 70],
    ["3rd lead with one phone in a day", clean({ velocity: { phonePerDay: 3 } }), 80],
    ["failed certificate", clean({ consent: { trustedFormCertUrl: "https://cert.trustedform.com/x", claim: { status: "failed" } } }), 85],
    ["VoIP + disposable + wrong state = 35", clean({ phone: { lineType: "nonFixedVoip" }, email: { disposable: true }, ip: { region: "NJ", matchesZipState: false } }), 35],
    ["everything wrong floors at 0", clean({ phone: { valid: false }, email: { disposable: true, role: true }, ip: { country: "RU" }, velocity: { ipPerHour: 50, phonePerDay: 9, devicePerHour: 9 } }), 0],
  ];
  it.each(table)("%s scores %i", (_name, signals, score) => {
    expect(qualityOf(signals).score).toBe(score);
  });

  it("explains a 35 in words a client can read", () => {
    const q = qualityOf(clean({ phone: { lineType: "nonFixedVoip", carrier: "Google (Grand Central) - SVR" }, email: { disposable: true, domain: "mailinator.com" }, ip: { region: "NJ", city: "Newark", matchesZipState: false }, velocity: { ipPerDay: 2 } }));
    expect(q).toEqual({
      score: 35,
      band: "poor",
      summary: "Phone: internet (VoIP) number, Google (Grand Central) - SVR · E-mail: disposable · IP: Newark, NJ, does not match the ZIP · 2nd lead from this IP in 24 hours",
      deductions: [
        { points: 25, reason: "the phone is an internet (VoIP) number" },
        { points: 30, reason: "the e-mail is at a disposable domain (mailinator.com)" },
        { points: 10, reason: "the visitor's IP is in NJ, not the ZIP's state" },
      ],
    });
  });
});

describe("e-mail and payload checks", () => {
  it.each([
    ["ann@example.com", { valid: true, disposable: false, role: false }],
    ["x@mailinator.com", { valid: true, disposable: true, role: false }],
    ["info@acme-roofing.com", { valid: true, disposable: false, role: true }],
    ["noreply+tag@acme-roofing.com", { valid: true, role: true }],
    ["not an email", { valid: false }],
    ["a@b", { valid: false }],
  ])("%s", (email, expected) => {
    expect(checkEmail(email)).toMatchObject(expected);
  });

  it("takes a form's IP from the request, a vendor's from the payload, and only real certificate URLs", () => {
    const payload = { ip_address: "1.2.3.4", xxTrustedFormCertUrl: "https://evil.example/abc", universal_leadid: "not-a-token", device_id: "d-1" };
    expect(signalInputsOf(payload, { source: "form", requestIp: "::ffff:72.229.28.185" })).toEqual({ ip: "72.229.28.185", deviceId: "d-1", trustedFormCertUrl: null, jornayaLeadId: null });
    expect(signalInputsOf(payload, { source: "api", requestIp: "10.0.0.1" }).ip).toBe("1.2.3.4");
  });
});
