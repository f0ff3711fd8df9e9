import {
  acquisitionChargeKey,
  adjustmentKey,
  assertValidEntry,
  disputeCreditEntry,
  disputeCreditKey,
  leadChargeEntry,
  leadChargeKey,
  outcomeChargeEntry,
  outcomeReversalKey,
  retainerEntry,
  retainerKey,
  reversalOf,
  reversedKeyOf,
  revshareChargeKey,
  type NewLedgerEntry,
} from "../../../server/domain/billing/ledger";
import { DomainError } from "../../../server/domain/errors";

describe("idempotency keys", () => {
  it("names one lead charge per lead", () => {
    expect(leadChargeKey("lead-42")).toBe("lead_charge:lead-42");
  });

  it("names outcome charges per lead, with a sequence only for re-charges after a reversal", () => {
    expect(acquisitionChargeKey("lead-42")).toBe("acquisition_charge:lead-42");
    expect(acquisitionChargeKey("lead-42", 1)).toBe("acquisition_charge:lead-42:1");
    expect(revshareChargeKey("lead-42")).toBe("revshare_charge:lead-42");
    expect(revshareChargeKey("lead-42", 2)).toBe("revshare_charge:lead-42:2");
  });

  it("names one retainer per client per period", () => {
    expect(retainerKey("client-1", "2026-12")).toBe("retainer:client-1:2026-12");
  });

  it("names one credit per dispute", () => {
    expect(disputeCreditKey("d-9")).toBe("dispute_credit:d-9");
  });

  it("names manual adjustments by request id", () => {
    expect(adjustmentKey("req-1")).toBe("adjustment:req-1");
  });

  it("names an outcome reversal exactly as reversalOf keys the reversed entry", () => {
    const charge = outcomeChargeEntry({ clientId: "c", leadId: "lead-42", campaignId: null, actor: "u1", kind: "revshare_charge", amountCents: 100, seq: 1 });
    expect(outcomeReversalKey("lead-42", "revshare_charge", 1)).toBe("reversal:revshare_charge:lead-42:1");
    expect(reversalOf(charge, "deal fell through", "u1").idempotencyKey).toBe(outcomeReversalKey("lead-42", "revshare_charge", 1));
    expect(outcomeReversalKey("lead-42", "acquisition_charge", 0)).toBe("reversal:acquisition_charge:lead-42");
  });

  it("recovers the reversed key from a reversal key", () => {
    expect(reversedKeyOf("reversal:lead_charge:lead-42")).toBe("lead_charge:lead-42");
    expect(reversedKeyOf("lead_charge:lead-42")).toBeNull();
  });

  it.each([[""], ["a:b"], ["has space"]])("refuses the ambiguous id %p", (id) => {
    expect(() => leadChargeKey(id)).toThrow(DomainError);
  });

  it("refuses a malformed period or sequence", () => {
    expect(() => retainerKey("client-1", "2026-1")).toThrow(/YYYY-MM/);
    expect(() => acquisitionChargeKey("lead-1", -1)).toThrow(/sequence/);
  });
});

describe("entry builders", () => {
  const lead = { clientId: "client-1", leadId: "lead-1", campaignId: "camp-1", actor: "system" };

  it("builds a lead charge keyed by its lead", () => {
    expect(leadChargeEntry({ ...lead, amountCents: 7500 })).toEqual({
      clientId: "client-1",
      kind: "lead_charge",
      amountCents: 7500,
      leadId: "lead-1",
      campaignId: "camp-1",
      disputeId: null,
      idempotencyKey: "lead_charge:lead-1",
      actor: "system",
      memo: null,
    });
  });

  it("stores a dispute credit as a negative amount linked to its dispute", () => {
    const credit = disputeCreditEntry({ ...lead, disputeId: "d-1", creditCents: 7500, memo: "wrong number" });
    expect(credit).toMatchObject({ kind: "dispute_credit", amountCents: -7500, disputeId: "d-1", idempotencyKey: "dispute_credit:d-1" });
  });

  it("builds a retainer for a period", () => {
    expect(retainerEntry({ clientId: "client-1", period: "2026-12", amountCents: 50_000, actor: "job:close-period" })).toMatchObject({
      kind: "retainer",
      amountCents: 50_000,
      leadId: null,
      idempotencyKey: "retainer:client-1:2026-12",
    });
  });

  it.each([
    ["a zero lead charge", () => leadChargeEntry({ ...lead, amountCents: 0 })],
    ["a negative lead charge", () => leadChargeEntry({ ...lead, amountCents: -1 })],
    ["a fractional charge", () => leadChargeEntry({ ...lead, amountCents: 10.5 })],
    ["a zero dispute credit", () => disputeCreditEntry({ ...lead, disputeId: "d-1", creditCents: 0 })],
    ["a negative dispute credit (i.e. a charge)", () => disputeCreditEntry({ ...lead, disputeId: "d-1", creditCents: -5 })],
    ["a zero retainer", () => retainerEntry({ clientId: "c", period: "2026-12", amountCents: 0, actor: "a" })],
  ])("refuses %s", (_name, build) => {
    expect(build).toThrow(DomainError);
  });

  it("refuses an outcome charge without its lead and an adjustment of zero", () => {
    const base: NewLedgerEntry = { clientId: "c", kind: "acquisition_charge", amountCents: 100, leadId: null, campaignId: null, disputeId: null, idempotencyKey: "k", actor: "a", memo: null };
    expect(() => assertValidEntry(base)).toThrow(/must link its lead/);
    expect(() => assertValidEntry({ ...base, kind: "adjustment", amountCents: 0 })).toThrow(/must not be zero/);
    expect(assertValidEntry({ ...base, kind: "adjustment", amountCents: -250 })).toMatchObject({ amountCents: -250 });
  });
});

describe("reversalOf", () => {
  const charge = leadChargeEntry({ clientId: "client-1", leadId: "lead-1", campaignId: "camp-1", actor: "system", amountCents: 7500 });

  it("cancels a charge with a negative adjustment that keeps the lead and campaign links", () => {
    expect(reversalOf(charge, "  lead re-judged as duplicate ", "user-7")).toEqual({
      clientId: "client-1",
      kind: "adjustment",
      amountCents: -7500,
      leadId: "lead-1",
      campaignId: "camp-1",
      disputeId: null,
      idempotencyKey: "reversal:lead_charge:lead-1",
      actor: "user-7",
      memo: "reversal of lead_charge lead_charge:lead-1: lead re-judged as duplicate",
    });
  });

  it("cancels a credit with a positive adjustment", () => {
    const credit = disputeCreditEntry({ clientId: "client-1", leadId: "lead-1", campaignId: null, actor: "a", disputeId: "d-1", creditCents: 3000 });
    expect(reversalOf(credit, "approved by mistake", "admin")).toMatchObject({ kind: "adjustment", amountCents: 3000, disputeId: "d-1" });
  });

  it("nets the original to zero", () => {
    expect(charge.amountCents + reversalOf(charge, "r", "a").amountCents).toBe(0);
  });

  it("requires a reason", () => {
    expect(() => reversalOf(charge, "   ", "a")).toThrow(/needs a reason/);
  });
});
