import { DateTime } from "luxon";
import { contractDocumentSchema } from "../../../server/domain/contracts/contract-document";
import { DomainError } from "../../../server/domain/errors";
import { compileContract, evaluate, withCapReached } from "../../../server/domain/qualification/evaluate";
import type { LeadForJudgement } from "../../../server/domain/qualification/lead-input";
import { MONDAY_10AM_NY, NEW_YORK, callLead, codes, contract, designExample, facts, lead } from "./fixtures";

const DAY = 86_400_000;

/** A UTC instant for a wall-clock time in New York. */
function ny(iso: string): Date {
  return DateTime.fromISO(iso, { zone: NEW_YORK }).toJSDate();
}

describe("evaluate: a lead that meets every rule", () => {
  it("is qualified and billable with no reasons, naming the contract version", () => {
    const version = { id: "cv_42", document: designExample() };

    const verdict = evaluate(version, lead(), facts());

    expect(verdict).toEqual({
      qualified: true,
      billable: true,
      contractVersionId: "cv_42",
      reasons: [],
      location: { zip: "10001", state: "NY", city: null, from: "lead", text: "ZIP 10001; state NY as given" },
    });
  });
});

describe("evaluate: required fields", () => {
  const version = contract({ requiredFields: ["name", "phone", "email", "zip", "state", "budget"] });

  it.each<[string, Partial<LeadForJudgement>, string[]]>([
    ["all present", {}, []],
    ["no phone at all", { phone: null, rawPhone: null }, ["The lead has no phone number"]],
    ["a phone that could not be parsed still counts as given", { phone: null, rawPhone: "12", phoneValid: false }, []],
    ["a blank ZIP", { zip: "   " }, ["The lead has no ZIP"]],
    ["no email", { email: undefined }, ["The lead has no email address"]],
    ["no name and no state", { name: "", state: null }, ["The lead has no name", "The lead has no state"]],
    ["a missing custom field", { fields: {} }, ["The lead has no value for budget"]],
    ["an empty custom field", { fields: { budget: "" } }, ["The lead has no value for budget"]],
    ["a custom field of 0 is present", { fields: { budget: 0 } }, []],
  ])("%s", (_case, overrides, messages) => {
    const verdict = evaluate(version, lead(overrides), facts());

    const missing = verdict.reasons.filter((r) => r.code === "REQUIRED_FIELD_MISSING");
    expect(missing.map((r) => r.message)).toEqual(messages);
    expect(missing.every((r) => r.rule === "qualification.requiredFields" && r.observed === null)).toBe(true);
  });
});

describe("evaluate: required fields on calls", () => {
  const version = contract({ requiredFields: ["phone", "zip", "email", "budget"] });

  it("requires only the caller's phone of a call, which carries no form fields", () => {
    const verdict = evaluate(version, callLead(120), facts());

    expect(verdict.qualified).toBe(true);
  });

  it("rejects a call without a caller number when phone is required", () => {
    const verdict = evaluate(version, callLead(120, "completed", { phone: null, rawPhone: null }), facts());

    expect(verdict.reasons.map((r) => r.message)).toEqual(["The lead has no phone number"]);
  });
});

describe("evaluate: invalid phone", () => {
  it.each<[string, Parameters<typeof contract>[0], Partial<LeadForJudgement>, string[]]>([
    ["rejects a given phone that could not be parsed", {}, { phone: null, rawPhone: "555-CALL-NOW", phoneValid: false }, ["INVALID_PHONE"]],
    ["accepts it when the contract turns the check off", { spam: { rejectInvalidPhone: false } }, { phone: null, rawPhone: "555", phoneValid: false }, []],
    ["accepts a lead that gave no phone", {}, { phone: null, rawPhone: null, phoneValid: false }, []],
    ["accepts a valid phone", {}, { phone: "+12125550199", phoneValid: true }, []],
  ])("%s", (_case, qualification, overrides, expected) => {
    const verdict = evaluate(contract(qualification), lead(overrides), facts());

    expect(codes(verdict.reasons)).toEqual(expected);
  });

  it("quotes the phone as given", () => {
    const verdict = evaluate(contract(), lead({ phone: null, rawPhone: "555-CALL-NOW", phoneValid: false }), facts());

    expect(verdict.reasons[0]).toMatchObject({
      rule: "qualification.spam.rejectInvalidPhone",
      message: 'Phone "555-CALL-NOW" is not a valid phone number',
      observed: "555-CALL-NOW",
    });
  });
});

describe("evaluate: honeypot", () => {
  it.each<[string, Parameters<typeof contract>[0], boolean, string[]]>([
    ["rejects a form whose honeypot was filled", {}, true, ["HONEYPOT_FILLED"]],
    ["accepts it when the contract turns the check off", { spam: { honeypot: false } }, true, []],
    ["accepts an empty honeypot", {}, false, []],
  ])("%s", (_case, qualification, honeypotFilled, expected) => {
    const verdict = evaluate(contract(qualification), lead({ honeypotFilled }), facts());

    expect(codes(verdict.reasons)).toEqual(expected);
  });
});

describe("evaluate: service area", () => {
  const zipsAndState = contract({ serviceArea: { zips: ["10001", "10002", "10003", "10004", "10005"], states: ["NJ"] } });
  const zipsOnly = contract({ serviceArea: { zips: ["10001", "10002", "10003", "10004", "10005"] } });

  it.each<[string, ReturnType<typeof contract>, Partial<LeadForJudgement>, string | null]>([
    ["accepts a listed ZIP", zipsAndState, { zip: "10003", state: "NY" }, null],
    ["accepts a ZIP+4 of a listed ZIP", zipsAndState, { zip: "10003-1234", state: null }, null],
    ["accepts a listed state with an unlisted ZIP", zipsAndState, { zip: "07030", state: "NJ" }, null],
    ["accepts a listed state in lower case", zipsAndState, { zip: null, state: " nj " }, null],
    ["rejects an unlisted ZIP", zipsAndState, { zip: "94105", state: null }, "ZIP 94105 is outside the service area (10001–10005, NJ)"],
    ["rejects an unlisted ZIP and state", zipsAndState, { zip: "94105", state: "CA" }, "ZIP 94105 (CA) is outside the service area (10001–10005, NJ)"],
    ["rejects an unlisted state", zipsAndState, { zip: null, state: "CA" }, "State CA is outside the service area (10001–10005, NJ)"],
    [
      "rejects a form lead with no location",
      zipsAndState,
      { zip: null, state: null },
      "The lead has no ZIP or state, so it cannot be placed in the service area (10001–10005, NJ)",
    ],
    [
      "rejects a form lead with only a state when the area is ZIPs only",
      zipsOnly,
      { zip: null, state: "NY" },
      "The lead has no ZIP, so it cannot be placed in the service area (10001–10005)",
    ],
    ["accepts a call with no location (Twilio often lacks the ZIP)", zipsAndState, { source: "call", call: { conversationSeconds: 120, dialStatus: "completed" }, zip: null, state: null }, null],
    ["accepts a call with only a state when the area is ZIPs only", zipsOnly, { source: "call", call: { conversationSeconds: 120, dialStatus: "completed" }, zip: null, state: "CA" }, null],
    ["rejects a call from a known ZIP outside the area", zipsOnly, { source: "call", call: { conversationSeconds: 120, dialStatus: "completed" }, zip: "94105", state: null }, "ZIP 94105 is outside the service area (10001–10005)"],
    ["accepts anywhere when the contract has no service area", contract(), { zip: "99999", state: "AK" }, null],
    ["accepts anywhere when the service area lists nothing", contract({ serviceArea: {} }), { zip: null, state: null }, null],
  ])("%s", (_case, version, overrides, message) => {
    const verdict = evaluate(version, lead(overrides), facts());

    if (message === null) {
      expect(verdict.reasons).toEqual([]);
    } else {
      expect(verdict.reasons).toHaveLength(1);
      expect(verdict.reasons[0]).toMatchObject({ code: "OUT_OF_SERVICE_AREA", rule: "qualification.serviceArea", message, effect: "reject" });
    }
  });

  it("reports an unknown location as observed null, and the area as expected", () => {
    const verdict = evaluate(zipsAndState, lead({ zip: null, state: null }), facts());

    expect(verdict.reasons[0]!.observed).toBeNull();
    expect(verdict.reasons[0]!.expected).toEqual({ match: "zip_or_state", zips: ["10001", "10002", "10003", "10004", "10005"], states: ["NJ"] });
  });

  it("reads a stored version without match as ZIP or state, and leaves match out of the reason as it was", () => {
    const stored = contract({ serviceArea: { zips: ["10001"], states: ["NJ"] } });
    delete (stored.document.qualification.serviceArea as { match?: string }).match;

    const verdict = evaluate(stored, lead({ zip: "94105", state: "CA" }), facts());

    expect(verdict.reasons[0]!.expected).toEqual({ zips: ["10001"], states: ["NJ"] });
    expect(evaluate(stored, lead({ zip: "07030", state: "NJ" }), facts()).qualified).toBe(true);
  });
});

describe("evaluate: service area, the lead placed by its ZIP under each match mode", () => {
  // The demo contract: Brooklyn ZIPs, or the state NY. A Buffalo lead (ZIP 14201) carries no state
  // on a form; the ZIP dataset places it in NY, exactly as Twilio's FromState does for a call.
  const area = (match: "zip_or_state" | "zip_and_state" | "zip_only") =>
    contract({ serviceArea: match === "zip_only" ? { match, zips: ["11201", "11238"] } : { match, zips: ["11201", "11238"], states: ["NY"] } });
  const buffalo = { zip: "14201", zipPlace: { state: "NY", city: "Buffalo" } };
  const brooklyn = { zip: "11201", zipPlace: { state: "NY", city: "Brooklyn" } };
  const hoboken = { zip: "07030", zipPlace: { state: "NJ", city: "Hoboken" } };
  const call = { source: "call" as const, email: null, fields: {}, call: { conversationSeconds: 120, dialStatus: "completed" } };

  it.each<[string, Parameters<typeof area>[0], Partial<LeadForJudgement>, string | null]>([
    ["zip_or_state: a Buffalo form with no state is in NY", "zip_or_state", { ...buffalo, state: null }, null],
    ["zip_or_state: a Buffalo call is in NY", "zip_or_state", { ...call, ...buffalo, state: "NY" }, null],
    ["zip_or_state: the ZIP's state wins over a state typed wrong", "zip_or_state", { ...hoboken, state: "NY" }, "ZIP 07030 (Hoboken, NJ) is outside the service area (11201, 11238, NY)"],
    ["zip_and_state: a Brooklyn form is in both", "zip_and_state", { ...brooklyn, state: null }, null],
    ["zip_and_state: a Buffalo form is in NY but not a listed ZIP", "zip_and_state", { ...buffalo, state: null }, "ZIP 14201 (Buffalo, NY) is outside the service area (11201, 11238 in NY)"],
    ["zip_and_state: a Buffalo call likewise", "zip_and_state", { ...call, ...buffalo, state: "NY" }, "ZIP 14201 (Buffalo, NY) is outside the service area (11201, 11238 in NY)"],
    ["zip_and_state: an unknown ZIP with no state cannot be placed", "zip_and_state", { zip: "11201", zipPlace: null, state: null }, "The lead has no state, so it cannot be placed in the service area (11201, 11238 in NY)"],
    ["zip_and_state: a call with no location passes", "zip_and_state", { ...call, zip: null, state: null }, null],
    ["zip_only: a Buffalo form is outside", "zip_only", { ...buffalo, state: null }, "ZIP 14201 (Buffalo, NY) is outside the service area (11201, 11238)"],
    ["zip_only: a Buffalo call is outside", "zip_only", { ...call, ...buffalo, state: "NY" }, "ZIP 14201 (Buffalo, NY) is outside the service area (11201, 11238)"],
    ["zip_only: a form with a state but no ZIP cannot be placed", "zip_only", { zip: null, state: "NY" }, "The lead has no ZIP, so it cannot be placed in the service area (11201, 11238)"],
    ["zip_only: a call with only a state passes (Twilio often lacks the ZIP)", "zip_only", { ...call, zip: null, state: "NY" }, null],
  ])("%s", (_case, match, overrides, message) => {
    const verdict = evaluate(area(match), lead(overrides), facts());

    expect(verdict.reasons.map((r) => r.message)).toEqual(message === null ? [] : [message]);
  });

  it("says in the verdict where the lead was placed, and from what", () => {
    expect(evaluate(area("zip_or_state"), lead({ ...buffalo, state: null }), facts()).location).toEqual({
      zip: "14201",
      state: "NY",
      city: "Buffalo",
      from: "zip",
      text: "ZIP 14201 is in NY (Buffalo)",
    });
    expect(evaluate(area("zip_or_state"), lead({ ...hoboken, state: "ny" }), facts()).location?.text).toBe("ZIP 07030 is in NJ (Hoboken); the lead gave NY");
    expect(evaluate(area("zip_or_state"), lead({ zip: "00000", zipPlace: null, state: "NY" }), facts()).location?.text).toBe("ZIP 00000 is not a known US ZIP; state NY as given");
    expect(evaluate(area("zip_or_state"), lead({ zip: null, state: null }), facts()).location).toBeUndefined();
    expect(evaluate(contract(), lead(buffalo), facts()).location).toBeUndefined();
  });

  it("applies a predicate on state to the ZIP's state", () => {
    const version = contract({ custom: [{ field: "state", op: "equals", value: "NY" }] });

    expect(evaluate(version, lead({ ...buffalo, state: null }), facts()).qualified).toBe(true);
    expect(evaluate(version, lead({ ...hoboken, state: "NY" }), facts()).qualified).toBe(false);
  });

  it.each<[string, object, string]>([
    ["zip_only with states", { match: "zip_only", zips: ["11201"], states: ["NY"] }, 'qualification.serviceArea.states: states are not used when match is "zip_only"'],
    ["zip_only without ZIPs", { match: "zip_only", zips: [] }, 'qualification.serviceArea.zips: match "zip_only" needs at least one ZIP'],
    ["zip_and_state without states", { match: "zip_and_state", zips: ["11201"] }, 'qualification.serviceArea.states: match "zip_and_state" needs at least one state'],
    ["an unknown mode", { match: "zip_or_city", zips: ["11201"] }, "qualification.serviceArea.match: "],
  ])("refuses %s at publish", (_case, serviceArea, message) => {
    const result = contractDocumentSchema.safeParse({ qualification: { serviceArea } });

    expect(result.success).toBe(false);
    const issues = result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues).toEqual([expect.stringContaining(message)]);
  });
});

describe("evaluate: business hours (client's time zone)", () => {
  const version = contract({
    businessHours: {
      mon: [["08:00", "18:00"]],
      tue: [["08:00", "18:00"]],
      wed: [["08:00", "18:00"]],
      thu: [["08:00", "18:00"]],
      fri: [["08:00", "18:00"]],
      sat: [["09:00", "12:00"]],
    },
  });

  it.each<[string, Date, boolean]>([
    ["opens at the start of a range (inclusive)", ny("2026-12-07T08:00"), true],
    ["is open a minute before the end", ny("2026-12-07T17:59"), true],
    ["is closed at the end of a range (exclusive)", ny("2026-12-07T18:00"), false],
    ["is closed before opening", ny("2026-12-07T07:59"), false],
    ["is open on Saturday morning", ny("2026-12-12T11:30"), true],
    ["is closed on Saturday at noon", ny("2026-12-12T12:00"), false],
    ["is closed on a day without hours (Sunday)", ny("2026-12-13T10:00"), false],
    ["uses local time, not UTC: 17:30 in New York is 22:30 UTC", new Date("2026-12-07T22:30:00Z"), true],
    ["uses local time, not UTC: 07:30 in New York is 12:30 UTC", new Date("2026-12-07T12:30:00Z"), false],
  ])("%s", (_case, receivedAt, open) => {
    const verdict = evaluate(version, lead({ receivedAt }), facts());

    expect(codes(verdict.reasons)).toEqual(open ? [] : ["OUTSIDE_BUSINESS_HOURS"]);
  });

  describe("across the daylight-saving changes of America/New_York", () => {
    it.each<[string, string, boolean]>([
      // Spring forward on Sunday 8 March 2026: EST (UTC−5) before, EDT (UTC−4) after.
      ["Friday before, 12:59 UTC is 07:59 EST", "2026-03-06T12:59:00Z", false],
      ["Friday before, 13:00 UTC is 08:00 EST", "2026-03-06T13:00:00Z", true],
      ["Friday before, 22:30 UTC is 17:30 EST", "2026-03-06T22:30:00Z", true],
      ["Monday after, 12:00 UTC is 08:00 EDT", "2026-03-09T12:00:00Z", true],
      ["Monday after, 11:59 UTC is 07:59 EDT", "2026-03-09T11:59:00Z", false],
      ["Monday after, 22:30 UTC is 18:30 EDT", "2026-03-09T22:30:00Z", false],
      // Fall back on Sunday 1 November 2026: EDT before, EST after.
      ["Friday before, 12:30 UTC is 08:30 EDT", "2026-10-30T12:30:00Z", true],
      ["Monday after, 12:30 UTC is 07:30 EST", "2026-11-02T12:30:00Z", false],
      ["Monday after, 13:00 UTC is 08:00 EST", "2026-11-02T13:00:00Z", true],
    ])("%s", (_case, iso, open) => {
      const verdict = evaluate(version, lead({ receivedAt: new Date(iso) }), facts({ timezone: NEW_YORK }));

      expect(verdict.qualified).toBe(open);
    });
  });

  it("says when the lead came and what the hours were that day", () => {
    const verdict = evaluate(version, lead({ receivedAt: ny("2026-12-07T19:05") }), facts());

    expect(verdict.reasons[0]).toEqual({
      code: "OUTSIDE_BUSINESS_HOURS",
      rule: "qualification.businessHours",
      message: "Received Monday 19:05 (America/New_York), outside business hours (Monday 08:00–18:00)",
      observed: { weekday: "mon", time: "19:05", timezone: "America/New_York" },
      expected: [["08:00", "18:00"]],
      effect: "reject",
    });
  });

  it("says a day without hours is closed", () => {
    const verdict = evaluate(version, lead({ receivedAt: ny("2026-12-13T10:00") }), facts());

    expect(verdict.reasons[0]!.message).toBe("Received Sunday 10:00 (America/New_York), outside business hours (closed on Sundays)");
  });

  it("reads the hours in the client's own time zone", () => {
    const at = new Date("2026-12-07T15:00:00Z"); // 10:00 in New York, 07:00 in Los Angeles

    const inNewYork = evaluate(version, lead({ receivedAt: at }), facts({ timezone: "America/New_York" }));
    const inLosAngeles = evaluate(version, lead({ receivedAt: at }), facts({ timezone: "America/Los_Angeles" }));

    expect(inNewYork.qualified).toBe(true);
    expect(inLosAngeles.qualified).toBe(false);
  });

  it("is always open when the contract has no business hours", () => {
    const verdict = evaluate(contract(), lead({ receivedAt: ny("2026-12-13T03:00") }), facts());

    expect(verdict.qualified).toBe(true);
  });

  it("treats an empty businessHours object as always closed", () => {
    const verdict = evaluate(contract({ businessHours: {} }), lead(), facts());

    expect(codes(verdict.reasons)).toEqual(["OUTSIDE_BUSINESS_HOURS"]);
  });

  it("refuses an unknown time zone with VALIDATION_FAILED", () => {
    const act = (): unknown => evaluate(version, lead(), facts({ timezone: "Mars/Olympus_Mons" }));

    expect(act).toThrow(DomainError);
    expect(act).toThrow(/Unknown time zone "Mars\/Olympus_Mons"/);
  });
});

describe("evaluate: duplicates", () => {
  const version = contract({ duplicate: { windowDays: 30, fields: ["phone"] } });
  const earlier = (daysBefore: number, matchedOn: "phone" | "email" = "phone") => ({
    leadId: "lead_earlier",
    matchedOn,
    receivedAt: new Date(MONDAY_10AM_NY.getTime() - daysBefore * DAY),
  });

  it.each<[string, ReturnType<typeof earlier> | null, boolean]>([
    ["rejects a lead whose phone came in 29 days earlier", earlier(29), true],
    ["rejects a repeat on the same day", earlier(0.01), true],
    ["accepts a repeat 31 days later (outside the window)", earlier(31), false],
    ["accepts a repeat exactly 30 days later (the window is [0, 30 days))", earlier(30), false],
    ["ignores a match on a field the rule does not name", earlier(1, "email"), false],
    ["accepts a lead with no earlier match", null, false],
  ])("%s", (_case, earlierDuplicate, duplicate) => {
    const verdict = evaluate(version, lead(), facts({ earlierDuplicate }));

    expect(codes(verdict.reasons)).toEqual(duplicate ? ["DUPLICATE"] : []);
  });

  it("names the earlier lead", () => {
    const verdict = evaluate(version, lead(), facts({ earlierDuplicate: earlier(3) }));

    expect(verdict.reasons[0]).toEqual({
      code: "DUPLICATE",
      rule: "qualification.duplicate",
      message: "Same phone as lead lead_earlier, received 3 days earlier (duplicate window 30 days)",
      observed: { leadId: "lead_earlier", matchedOn: "phone", receivedAt: "2026-12-04T15:00:00.000Z" },
      expected: { windowDays: 30, fields: ["phone"] },
      effect: "reject",
    });
  });

  it("ignores an earlier match when the contract has no duplicate rule", () => {
    const verdict = evaluate(contract(), lead(), facts({ earlierDuplicate: earlier(1) }));

    expect(verdict.qualified).toBe(true);
  });
});

describe("evaluate: blocked phones, emails and email domains", () => {
  const version = contract({
    blocked: { phones: ["+12125550100"], emails: ["Spam@Example.com"], emailDomains: ["Mailinator.com"] },
  });

  it.each<[string, Partial<LeadForJudgement>, string[]]>([
    ["rejects a blocked phone", { phone: "+12125550100" }, ["BLOCKED_PHONE"]],
    ["accepts another phone", { phone: "+12125550101" }, []],
    ["rejects a blocked email, ignoring case", { email: "SPAM@example.COM" }, ["BLOCKED_EMAIL"]],
    ["rejects a blocked email domain, ignoring case", { email: "bot@MAILINATOR.com" }, ["BLOCKED_EMAIL_DOMAIN"]],
    ["rejects a subdomain of a blocked domain", { email: "bot@eu.mailinator.com" }, ["BLOCKED_EMAIL_DOMAIN"]],
    ["accepts a domain that merely ends with the same letters", { email: "ada@notmailinator.com" }, []],
    ["accepts a lead without email or phone", { email: null, phone: null, rawPhone: null }, []],
  ])("%s", (_case, overrides, expected) => {
    const verdict = evaluate(version, lead(overrides), facts());

    expect(codes(verdict.reasons)).toEqual(expected);
  });

  it("explains a subdomain block", () => {
    const verdict = evaluate(version, lead({ email: "bot@eu.mailinator.com" }), facts());

    expect(verdict.reasons[0]).toMatchObject({
      rule: "qualification.blocked.emailDomains",
      message: "Email domain eu.mailinator.com is blocked (a subdomain of mailinator.com)",
      observed: "eu.mailinator.com",
      expected: "mailinator.com",
    });
  });
});

describe("evaluate: custom predicates", () => {
  type Pred = NonNullable<Parameters<typeof contract>[0]>["custom"];
  const cases: [string, Pred, Record<string, unknown>, boolean][] = [
    ["min: accepts a larger numeric string", [{ field: "budget", op: "min", value: 5000 }], { budget: "6000" }, true],
    ["min: accepts the minimum itself", [{ field: "budget", op: "min", value: 5000 }], { budget: "5000" }, true],
    ["min: compares numerically, not as text (\"10000\" ≥ 5000)", [{ field: "budget", op: "min", value: 5000 }], { budget: "10000" }, true],
    ["min: accepts a number", [{ field: "budget", op: "min", value: 5000 }], { budget: 12000 }, true],
    ["min: accepts thousands separators and a dollar sign", [{ field: "budget", op: "min", value: 5000 }], { budget: " $5,000 " }, true],
    ["min: rejects a smaller value", [{ field: "budget", op: "min", value: 5000 }], { budget: "4999.99" }, false],
    ["min: rejects text that is not a number", [{ field: "budget", op: "min", value: 5000 }], { budget: "lots" }, false],
    ["min: rejects a missing field", [{ field: "budget", op: "min", value: 5000 }], {}, false],
    ["max: accepts a smaller value", [{ field: "sqft", op: "max", value: 100 }], { sqft: "99" }, true],
    ["max: compares numerically, not as text (\"20\" ≤ 100)", [{ field: "sqft", op: "max", value: 100 }], { sqft: "20" }, true],
    ["max: rejects a larger value", [{ field: "sqft", op: "max", value: 100 }], { sqft: "101" }, false],
    ["max: rejects a missing field", [{ field: "sqft", op: "max", value: 100 }], {}, false],
    ["equals: accepts the same text in another case", [{ field: "owner", op: "equals", value: "yes" }], { owner: " Yes " }, true],
    ["equals: rejects other text", [{ field: "owner", op: "equals", value: "yes" }], { owner: "no" }, false],
    ["equals: rejects a missing field", [{ field: "owner", op: "equals", value: "yes" }], {}, false],
    ["equals: compares a number numerically", [{ field: "units", op: "equals", value: 3 }], { units: "3.0" }, true],
    ["equals: accepts a checkbox \"on\" for true", [{ field: "consent", op: "equals", value: true }], { consent: "on" }, true],
    ["equals: rejects \"false\" for true", [{ field: "consent", op: "equals", value: true }], { consent: "false" }, false],
    ["in: accepts a listed value in another case", [{ field: "service", op: "in", value: ["roof", "siding"] }], { service: "Roof" }, true],
    ["in: rejects an unlisted value", [{ field: "service", op: "in", value: ["roof", "siding"] }], { service: "windows" }, false],
    ["in: rejects a missing field", [{ field: "service", op: "in", value: ["roof", "siding"] }], {}, false],
    ["in: accepts a multi-select containing a listed value", [{ field: "service", op: "in", value: ["roof", "siding"] }], { service: ["windows", "roof"] }, true],
    ["not_in: accepts an unlisted value", [{ field: "tenure", op: "not_in", value: ["renter"] }], { tenure: "owner" }, true],
    ["not_in: rejects a listed value in another case", [{ field: "tenure", op: "not_in", value: ["renter"] }], { tenure: "Renter" }, false],
    ["not_in: accepts a missing field", [{ field: "tenure", op: "not_in", value: ["renter"] }], {}, true],
    ["matches: accepts a matching value", [{ field: "permit", op: "matches", value: "^P-\\d{4}$" }], { permit: "P-2026" }, true],
    ["matches: rejects a value that does not match", [{ field: "permit", op: "matches", value: "^P-\\d{4}$" }], { permit: "P-26" }, false],
    ["matches: rejects a missing field", [{ field: "permit", op: "matches", value: "^P-\\d{4}$" }], {}, false],
    ["matches: tests a number as its digits", [{ field: "units", op: "matches", value: "^\\d+$" }], { units: 12 }, true],
  ];

  it.each(cases)("%s", (_case, custom, fields, passes) => {
    const verdict = evaluate(contract({ custom }), lead({ fields }), facts());

    expect(codes(verdict.reasons)).toEqual(passes ? [] : ["CUSTOM_RULE_FAILED"]);
  });

  it("does not apply a predicate on a missing field to a call, which carries no form fields", () => {
    const version = contract({ custom: [{ field: "budget", op: "min", value: 5000 }] });

    expect(evaluate(version, callLead(120), facts()).qualified).toBe(true);
    expect(evaluate(version, callLead(120, "completed", { fields: { budget: "10" } }), facts()).qualified).toBe(false);
  });

  it("can test a contact field such as state", () => {
    const version = contract({ custom: [{ field: "state", op: "equals", value: "NY" }] });

    expect(evaluate(version, lead({ state: "ny" }), facts()).qualified).toBe(true);
    expect(evaluate(version, lead({ state: "NJ" }), facts()).qualified).toBe(false);
  });

  it("explains a failed rule with the value seen and the rule's place in the document", () => {
    const version = contract({
      custom: [
        { field: "owner", op: "equals", value: "yes" },
        { field: "budget", op: "min", value: 5000 },
      ],
    });

    const verdict = evaluate(version, lead({ fields: { owner: "yes", budget: "3000" } }), facts());

    expect(verdict.reasons).toEqual([
      {
        code: "CUSTOM_RULE_FAILED",
        rule: "qualification.custom[1]",
        message: 'budget is "3000"; it must be at least 5000',
        observed: "3000",
        expected: { op: "min", value: 5000 },
        effect: "reject",
      },
    ]);
  });

  it("says a missing field is missing", () => {
    const version = contract({ custom: [{ field: "budget", op: "min", value: 5000 }] });

    const verdict = evaluate(version, lead({ fields: {} }), facts());

    expect(verdict.reasons[0]!.message).toBe("budget is missing; it must be at least 5000");
  });

  it("fails a stored pattern the linear-time engine cannot run, saying why, instead of throwing", () => {
    // Stored before patterns were checked at publish: the schema would refuse it today.
    const version = contract({ custom: [{ field: "code", op: "matches", value: "^(a)a$" }] });
    version.document.qualification.custom[0]!.value = "^(a)\\1$";

    const verdict = evaluate(version, lead({ fields: { code: "aa" } }), facts());

    expect(codes(verdict.reasons)).toEqual(["CUSTOM_RULE_FAILED"]);
    expect(verdict.reasons[0]!.message).toMatch(/^code cannot be checked against the pattern \^\(a\)\\1\$: backreferences/);
  });

  it("fails a value too long to be matched, naming the limit", () => {
    const version = contract({ custom: [{ field: "notes", op: "matches", value: "^a*$" }] });

    const verdict = evaluate(version, lead({ fields: { notes: "a".repeat(1001) } }), facts());

    expect(verdict.reasons[0]!.message).toBe("notes is longer than 1000 characters; it must match the pattern ^a*$");
  });

  it("does not read inherited properties as fields", () => {
    const version = contract({ custom: [{ field: "constructor", op: "matches", value: "." }] });

    const verdict = evaluate(version, lead({ fields: {} }), facts());

    expect(verdict.reasons[0]!.message).toBe("constructor is missing; it must match the pattern .");
  });
});

describe("evaluate: calls", () => {
  const version = contract({ minCallSeconds: 90 });

  it("rejects a call shorter than the contract minimum, saying by how much", () => {
    const verdict = evaluate(version, callLead(40), facts());

    expect(verdict.reasons).toEqual([
      {
        code: "CALL_TOO_SHORT",
        rule: "qualification.minCallSeconds",
        message: "conversation 40 s, minimum 90 s",
        observed: 40,
        expected: 90,
        effect: "reject",
      },
    ]);
  });

  it.each<[string, number | null, string | null, string[]]>([
    ["accepts a call of exactly the minimum", 90, "completed", []],
    ["rejects a call one second short", 89, "completed", ["CALL_TOO_SHORT"]],
    ["rejects a call whose length is unknown", null, "completed", ["CALL_TOO_SHORT"]],
    ["accepts an answered call", 120, "answered", []],
    ["reads the dial status without regard to case", 120, "COMPLETED", []],
    ["rejects a busy call as not connected (and too short)", 0, "busy", ["CALL_NOT_CONNECTED", "CALL_TOO_SHORT"]],
    ["rejects an unanswered call", 0, "no-answer", ["CALL_NOT_CONNECTED", "CALL_TOO_SHORT"]],
    ["does not guess a connection failure from an unknown status", 120, null, []],
  ])("%s", (_case, seconds, status, expected) => {
    const verdict = evaluate(version, callLead(seconds, status), facts());

    expect(codes(verdict.reasons)).toEqual(expected);
  });

  it("explains an unknown call length", () => {
    const verdict = evaluate(version, callLead(null), facts());

    expect(verdict.reasons[0]!.message).toBe("conversation length unknown, minimum 90 s");
  });

  it("counts any connected call when the minimum is 0", () => {
    const verdict = evaluate(contract({ minCallSeconds: 0 }), callLead(1), facts());

    expect(verdict.qualified).toBe(true);
  });

  it("does not apply call rules to a form lead", () => {
    const verdict = evaluate(version, lead({ call: { conversationSeconds: 3, dialStatus: "busy" } }), facts());

    expect(verdict.qualified).toBe(true);
  });
});

describe("evaluate: all reasons at once", () => {
  it("returns every failing rule, in document order", () => {
    const version = { id: "cv_all", document: designExample() };
    const everythingWrong = callLead(40, "busy", {
      phone: "+12125550100",
      rawPhone: "+1 212 555 0100",
      email: "bot@mailinator.com",
      zip: "94105",
      state: "CA",
      fields: { budget: "100" },
      receivedAt: new Date("2026-12-13T15:00:00Z"), // a Sunday
      honeypotFilled: true,
    });
    const earlierDuplicate = { leadId: "lead_1", matchedOn: "email" as const, receivedAt: new Date("2026-12-12T15:00:00Z") };

    const verdict = evaluate(version, everythingWrong, facts({ earlierDuplicate }));

    expect(verdict.qualified).toBe(false);
    expect(verdict.billable).toBe(false);
    expect(codes(verdict.reasons)).toEqual([
      "OUT_OF_SERVICE_AREA",
      "CALL_NOT_CONNECTED",
      "CALL_TOO_SHORT",
      "OUTSIDE_BUSINESS_HOURS",
      "DUPLICATE",
      "BLOCKED_PHONE",
      "BLOCKED_EMAIL_DOMAIN",
      "CUSTOM_RULE_FAILED",
      "HONEYPOT_FILLED",
    ]);
    expect(verdict.reasons.every((r) => r.effect === "reject")).toBe(true);
  });

  it("lists missing required fields first", () => {
    const verdict = evaluate({ id: "cv", document: designExample() }, lead({ phone: null, rawPhone: null, zip: null, state: "NY" }), facts());

    expect(codes(verdict.reasons)).toEqual(["REQUIRED_FIELD_MISSING", "REQUIRED_FIELD_MISSING"]);
    expect(verdict.reasons.map((r) => r.message)).toEqual(["The lead has no phone number", "The lead has no ZIP"]);
  });
});

describe("evaluate: determinism and compilation", () => {
  it("gives deep-equal verdicts for the same inputs", () => {
    const version = { id: "cv", document: designExample() };
    const input = lead({ zip: "94105", fields: { budget: "10" } });

    const first = evaluate(version, input, facts());
    const second = evaluate(version, input, facts());

    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });

  it("gives the same verdict through a compiled contract", () => {
    const version = { id: "cv_compiled", document: designExample() };
    const compiled = compileContract(version);
    const input = lead({ receivedAt: new Date("2026-12-13T15:00:00Z") });

    const verdict = compiled.evaluate(input, facts());

    expect(compiled.contractVersionId).toBe("cv_compiled");
    expect(verdict).toEqual(evaluate(version, input, facts()));
    expect(verdict.qualified).toBe(false);
  });
});

describe("withCapReached", () => {
  it("keeps the lead qualified, makes it not billable and says why", () => {
    const verdict = evaluate(contract(), lead(), facts());

    const capped = withCapReached(verdict, 200, { leads: 200 });

    expect(capped).toEqual({
      qualified: true,
      billable: false,
      contractVersionId: "cv_test",
      reasons: [
        {
          code: "MONTHLY_CAP_REACHED",
          rule: "pricing.monthlyCap",
          message: "The monthly cap of 200 billable leads is reached, so this lead is not billed",
          observed: 200,
          expected: { leads: 200 },
          effect: "info",
        },
      ],
    });
  });

  it("does not change the verdict it was given", () => {
    const verdict = evaluate(contract(), lead(), facts());

    withCapReached(verdict, 5_000_00, { spendCents: 5_000_00 });

    expect(verdict).toEqual({ qualified: true, billable: true, contractVersionId: "cv_test", reasons: [] });
  });

  it("names a spend cap in money", () => {
    const capped = withCapReached(evaluate(contract(), lead(), facts()), 500_000, { spendCents: 500_000 });

    expect(capped.reasons[0]!.message).toBe("The monthly cap of $5,000.00 billed is reached, so this lead is not billed");
  });
});
