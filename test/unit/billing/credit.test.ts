import {
  DISPUTE_STATUSES,
  disputeCreditCents,
  disputeStatusCredits,
  isFinalDisputeStatus,
  leadCreditBasis,
  transitionDispute,
  type CreditDecision,
  type DisputeStatus,
} from "../../../server/domain/billing/credit";
import { DomainError } from "../../../server/domain/errors";

describe("disputeCreditCents", () => {
  it.each<[string, number, number, CreditDecision, number]>([
    ["full credit of a lead charge", 7500, 0, { kind: "full" }, 7500],
    ["half of a lead charge", 7500, 0, { kind: "percent", bps: 5000 }, 3750],
    ["a third, rounded half up", 7501, 0, { kind: "percent", bps: 3333 }, 2500], // 7501 × 3333 / 10 000 = 2500.08
    ["50 % of an odd amount rounds up", 7501, 0, { kind: "percent", bps: 5000 }, 3751], // 3750.5
    ["a fixed amount", 7500, 0, { kind: "amount", cents: 2000 }, 2000],
    ["full credit after an earlier partial credit", 7500, 3750, { kind: "full" }, 3750],
    ["a percentage capped by what remains", 7500, 5000, { kind: "percent", bps: 5000 }, 2500],
    ["an amount capped by what was charged", 7500, 0, { kind: "amount", cents: 9000 }, 7500],
    ["nothing once everything was credited", 7500, 7500, { kind: "full" }, 0],
    ["nothing when over-credited before", 7500, 8000, { kind: "amount", cents: 100 }, 0],
    ["nothing for an uncharged lead", 0, 0, { kind: "full" }, 0],
    ["zero percent", 7500, 0, { kind: "percent", bps: 0 }, 0],
  ])("%s", (_name, charged, already, decision, expected) => {
    expect(disputeCreditCents(charged, already, decision)).toBe(expected);
  });

  it.each<[string, number, number, CreditDecision]>([
    ["a negative charged amount", -1, 0, { kind: "full" }],
    ["a fractional credited amount", 100, 0.5, { kind: "full" }],
    ["a percentage above 100 %", 100, 0, { kind: "percent", bps: 10_001 }],
    ["a negative percentage", 100, 0, { kind: "percent", bps: -1 }],
    ["a negative amount", 100, 0, { kind: "amount", cents: -1 }],
  ])("rejects %s", (_name, charged, already, decision) => {
    expect(() => disputeCreditCents(charged, already, decision)).toThrow(DomainError);
  });
});

describe("leadCreditBasis", () => {
  it("counts charges net of reversals and dispute credits as already credited", () => {
    expect(
      leadCreditBasis([
        { kind: "lead_charge", amountCents: 7500 },
        { kind: "acquisition_charge", amountCents: 20_000 },
        { kind: "adjustment", amountCents: -20_000 }, // acquisition reversed
        { kind: "dispute_credit", amountCents: -2500 },
      ]),
    ).toEqual({ chargedCents: 7500, alreadyCreditedCents: 2500 });
  });

  it("is zero for a lead with no entries", () => {
    expect(leadCreditBasis([])).toEqual({ chargedCents: 0, alreadyCreditedCents: 0 });
  });
});

describe("transitionDispute", () => {
  const finals: DisputeStatus[] = ["approved", "partially_approved", "rejected", "auto_approved", "withdrawn"];
  const all = DISPUTE_STATUSES.flatMap((from) => DISPUTE_STATUSES.map((to) => [from, to] as [DisputeStatus, DisputeStatus]));
  const legal = finals.map((to) => ["open", to] as [DisputeStatus, DisputeStatus]);
  const illegal = all.filter(([from, to]) => !(from === "open" && finals.includes(to)));

  it("covers all thirty-six pairs", () => {
    expect(legal.length + illegal.length).toBe(36);
  });

  it.each(legal)("allows %s → %s", (from, to) => {
    expect(transitionDispute(from, to)).toBe(to);
  });

  it.each(illegal)("refuses %s → %s with INVALID_TRANSITION", (from, to) => {
    expect(() => transitionDispute(from, to)).toThrow(
      expect.objectContaining({ code: "INVALID_TRANSITION", details: { entity: "dispute", from, to } }),
    );
  });

  it("treats every status but open as final", () => {
    expect(DISPUTE_STATUSES.filter(isFinalDisputeStatus)).toEqual(finals);
  });

  it("credits only approved outcomes", () => {
    expect(DISPUTE_STATUSES.filter(disputeStatusCredits)).toEqual(["approved", "partially_approved", "auto_approved"]);
  });
});
