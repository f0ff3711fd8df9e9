import fc from "fast-check";
import { DateTime } from "luxon";
import { contractDocumentSchema, type ContractDocument } from "../../../server/domain/contracts/contract-document";
import { evaluate } from "../../../server/domain/qualification/evaluate";
import { localWeekdayAndMinute } from "../../../server/domain/shared/local-time";
import type { JudgementFacts, LeadForJudgement } from "../../../server/domain/qualification/lead-input";

const ZONES = ["America/New_York", "America/Los_Angeles", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns", "UTC"];

const zipArb = fc.oneof(
  fc.constantFrom("10001", "10002", "10003", "94105", "07030"),
  fc.integer({ min: 0, max: 99_999 }).map((n) => String(n).padStart(5, "0")),
);
const hhmmArb = fc.integer({ min: 0, max: 95 }).map((q) => `${String(Math.floor(q / 4)).padStart(2, "0")}:${String((q % 4) * 15).padStart(2, "0")}`);
const rangeArb = fc
  .tuple(hhmmArb, hhmmArb)
  .filter(([a, b]) => a !== b)
  .map(([a, b]): [string, string] => (a < b ? [a, b] : [b, a]));
const predicateArb = fc.oneof(
  fc.record({ field: fc.constantFrom("budget", "owner", "zip"), op: fc.constant("min" as const), value: fc.integer({ min: -10, max: 10_000 }) }),
  fc.record({ field: fc.constantFrom("budget", "sqft"), op: fc.constant("max" as const), value: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
  fc.record({ field: fc.constantFrom("owner", "state"), op: fc.constant("equals" as const), value: fc.oneof(fc.string(), fc.integer(), fc.boolean()) }),
  fc.record({ field: fc.constantFrom("service", "owner"), op: fc.constant("in" as const), value: fc.array(fc.oneof(fc.string(), fc.integer()), { minLength: 1, maxLength: 4 }) }),
  fc.record({ field: fc.constantFrom("service", "tenure"), op: fc.constant("not_in" as const), value: fc.array(fc.oneof(fc.string(), fc.integer()), { minLength: 1, maxLength: 4 }) }),
  fc.record({ field: fc.constantFrom("permit", "name"), op: fc.constant("matches" as const), value: fc.constantFrom("^P-\\d+$", "a", "[aeiou]{2}", "^$|x") }),
);

const contractArb: fc.Arbitrary<ContractDocument> = fc
  .record(
    {
      requiredFields: fc.subarray(["name", "phone", "email", "zip", "state", "budget"]),
      serviceArea: fc.record({ zips: fc.array(zipArb, { maxLength: 8 }), states: fc.subarray(["NY", "NJ", "CA"]) }),
      minCallSeconds: fc.integer({ min: 0, max: 600 }),
      businessHours: fc.dictionary(fc.constantFrom("mon", "tue", "wed", "thu", "fri", "sat", "sun"), fc.array(rangeArb, { maxLength: 2 })),
      duplicate: fc.record({ windowDays: fc.integer({ min: 1, max: 90 }), fields: fc.subarray(["phone", "email"] as const, { minLength: 1 }) }),
      blocked: fc.record({ phones: fc.subarray(["+12125550100", "+12125550199"]), emails: fc.subarray(["ada@example.com"]), emailDomains: fc.subarray(["mailinator.com", "example.com"]) }),
      custom: fc.array(predicateArb, { maxLength: 4 }),
      spam: fc.record({ honeypot: fc.boolean(), rejectInvalidPhone: fc.boolean() }),
    },
    { requiredKeys: ["requiredFields"] },
  )
  .map((qualification) => contractDocumentSchema.parse({ qualification }));

/** A value of any kind, or a plausible one. */
const anyOr = <T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof(plausible, fc.constant(null), fc.constant(undefined), fc.anything());

const leadArb = fc.record({
  source: fc.constantFrom("form", "api", "call"),
  name: anyOr(fc.string()),
  phone: anyOr(fc.constantFrom("+12125550100", "+12125550199", "")),
  rawPhone: anyOr(fc.string()),
  phoneValid: anyOr(fc.boolean()),
  email: anyOr(fc.constantFrom("ada@example.com", "BOT@eu.mailinator.com", "no-at-sign", "@", "x@.")),
  zip: anyOr(zipArb),
  state: anyOr(fc.constantFrom("NY", "nj", "CA", "")),
  fields: anyOr(fc.dictionary(fc.constantFrom("budget", "owner", "service", "tenure", "permit", "sqft", "__proto__", "constructor"), fc.anything())),
  receivedAt: anyOr(fc.date({ noInvalidDate: false })),
  honeypotFilled: anyOr(fc.boolean()),
  call: anyOr(fc.record({ conversationSeconds: anyOr(fc.integer({ min: 0, max: 600 })), dialStatus: anyOr(fc.constantFrom("completed", "busy", "answered")) })),
}) as unknown as fc.Arbitrary<LeadForJudgement>;

const factsArb: fc.Arbitrary<JudgementFacts> = fc.record({
  timezone: fc.constantFrom(...ZONES),
  earlierDuplicate: fc.option(
    fc.record({ leadId: fc.string(), matchedOn: fc.constantFrom("phone" as const, "email" as const), receivedAt: fc.date({ noInvalidDate: false }) }),
    { nil: null },
  ),
});

describe("evaluate: properties", () => {
  it("never throws for arbitrary lead objects, and its verdict can be stored as JSON", () => {
    fc.assert(
      fc.property(contractArb, leadArb, factsArb, (document, lead, facts) => {
        const verdict = evaluate({ id: "cv", document }, lead, facts);

        expect(typeof JSON.stringify(verdict)).toBe("string");
      }),
      { numRuns: 1000 },
    );
  });

  it("qualifies a lead exactly when no reason rejects it, and bills exactly the qualified ones", () => {
    fc.assert(
      fc.property(contractArb, leadArb, factsArb, (document, lead, facts) => {
        const verdict = evaluate({ id: "cv", document }, lead, facts);

        expect(verdict.qualified).toBe(verdict.reasons.filter((r) => r.effect === "reject").length === 0);
        expect(verdict.billable).toBe(verdict.qualified);
        expect(verdict.contractVersionId).toBe("cv");
      }),
      { numRuns: 500 },
    );
  });

  it("gives deep-equal verdicts for the same inputs", () => {
    fc.assert(
      fc.property(contractArb, leadArb, factsArb, (document, lead, facts) => {
        expect(evaluate({ id: "cv", document }, lead, facts)).toEqual(evaluate({ id: "cv", document }, lead, facts));
      }),
      { numRuns: 300 },
    );
  });

  it("qualifies every form lead against a contract whose rules are all off", () => {
    const empty = contractDocumentSchema.parse({ qualification: { minCallSeconds: 0, spam: { honeypot: false, rejectInvalidPhone: false } } });

    fc.assert(
      fc.property(leadArb, factsArb, (lead, facts) => {
        const verdict = evaluate({ id: "cv", document: empty }, { ...lead, source: "form" }, facts);

        expect(verdict.reasons).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

describe("localWeekdayAndMinute", () => {
  it("agrees with luxon for any instant in zones with DST, half-hour and 45-minute offsets", () => {
    const instant = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2060, 0, 1) });

    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (ms, zone) => {
        const expected = DateTime.fromMillis(ms, { zone });

        const actual = localWeekdayAndMinute(ms, zone);

        expect(actual.minute).toBe(expected.hour * 60 + expected.minute);
        expect(actual.weekday).toBe(["mon", "tue", "wed", "thu", "fri", "sat", "sun"][expected.weekday - 1]);
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with luxon minute by minute around the 2026 New York and Lord Howe transitions", () => {
    const around = [
      ["America/New_York", Date.UTC(2026, 2, 8, 7, 0)],
      ["America/New_York", Date.UTC(2026, 10, 1, 6, 0)],
      ["Australia/Lord_Howe", Date.UTC(2026, 3, 4, 15, 0)],
      ["Australia/Lord_Howe", Date.UTC(2026, 9, 3, 15, 30)],
    ] as const;

    for (const [zone, centre] of around) {
      for (let ms = centre - 90 * 60_000; ms <= centre + 90 * 60_000; ms += 60_000) {
        const expected = DateTime.fromMillis(ms, { zone });
        expect(localWeekdayAndMinute(ms, zone).minute).toBe(expected.hour * 60 + expected.minute);
      }
    }
  });
});
