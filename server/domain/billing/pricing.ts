import { DateTime } from "luxon";
import type { Pricing } from "../contracts/contract-document";
import { DomainError } from "../errors";
import { applyBps, assertNonNegativeCents } from "../money";
import { formatCents } from "../money-format";
import type { VerdictReason } from "../qualification/verdict";
import { BILLING_PERIOD_RE } from "../shared/formats";

/**
 * Pricing rules of a contract version (docs/architecture.md "The contract document", pricing part).
 * Pure functions: the caller supplies month-to-date figures read from the ledger / leads.
 */

export interface MonthlyCapHit {
  kind: "leads" | "spend";
  /** leads: billable leads so far this month; spend: lead charges (cents) so far this month. */
  observed: number;
  /** The contract's `monthlyCap.leads` or `monthlyCap.spendCents`. */
  limit: number;
}

export type LeadChargeQuote =
  | { billable: true; amountCents: number; tierIndex: number | null }
  | { billable: false; amountCents: 0; cap: MonthlyCapHit };

export interface MonthToDate {
  /** Billable leads already counted this month (the lead being priced is number billableLeads + 1). */
  billableLeads: number;
  /** Sum of lead_charge cents already written this month (for the spend cap). */
  leadChargesCents: number;
}

/**
 * Price of the next qualified lead this calendar month (the one that would be number
 * `billableLeads + 1`).
 *
 * - With `tiers`, the price is marginal by count: tiers [{upTo:100, 7500}, {upTo:null, 6000}]
 *   bill leads 1..100 at 7500 and 101+ at 6000. If the last tier is bounded (upTo set), its price
 *   continues beyond it. `leadPriceCents` is ignored when tiers are present.
 * - Otherwise the flat `leadPriceCents` (tierIndex null).
 * - Monthly cap by leads: not billable once `billableLeads >= cap.leads`.
 *   Monthly cap by spend: not billable when `leadChargesCents + price > cap.spendCents`
 *   (a lead is never billed partially). The leads cap is checked first.
 *
 * A billable quote may have amountCents 0 (e.g. a pure CPA contract); the caller should then not
 * write a ledger entry (entries are never zero), but the lead still counts as billable.
 */
export function priceLeadCharge(pricing: Pricing, monthToDate: MonthToDate): LeadChargeQuote {
  const { billableLeads, leadChargesCents } = monthToDate;
  if (!Number.isSafeInteger(billableLeads) || billableLeads < 0) {
    throw new DomainError("VALIDATION_FAILED", `billableLeads must be a non-negative integer, got ${billableLeads}`);
  }
  assertNonNegativeCents(leadChargesCents, "month-to-date lead charges");

  const cap = pricing.monthlyCap;
  if (cap?.leads !== undefined && billableLeads >= cap.leads) {
    return { billable: false, amountCents: 0, cap: { kind: "leads", observed: billableLeads, limit: cap.leads } };
  }

  const { amountCents, tierIndex } = unitPriceFor(pricing, billableLeads + 1);

  if (cap?.spendCents !== undefined && leadChargesCents + amountCents > cap.spendCents) {
    return { billable: false, amountCents: 0, cap: { kind: "spend", observed: leadChargesCents, limit: cap.spendCents } };
  }
  return { billable: true, amountCents, tierIndex };
}

/** The list price of the n-th (1-based) billable lead of a month, ignoring caps. */
export function unitPriceFor(pricing: Pricing, n: number): { amountCents: number; tierIndex: number | null } {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new DomainError("VALIDATION_FAILED", `lead number must be a positive integer, got ${n}`);
  }
  const tiers = pricing.tiers;
  if (tiers && tiers.length > 0) {
    let index = tiers.findIndex((t) => t.upTo === null || n <= t.upTo);
    if (index === -1) index = tiers.length - 1;
    const price = tiers[index]!.priceCents;
    assertNonNegativeCents(price, `pricing.tiers[${index}].priceCents`);
    return { amountCents: price, tierIndex: index };
  }
  assertNonNegativeCents(pricing.leadPriceCents, "pricing.leadPriceCents");
  return { amountCents: pricing.leadPriceCents, tierIndex: null };
}

export type OutcomeChargeKind = "acquisition_charge" | "revshare_charge";

export interface OutcomeCharge {
  kind: OutcomeChargeKind;
  amountCents: number;
}

/**
 * Charges when a lead is marked won: the acquisition fee (when acquisitionPriceCents > 0) and the
 * revenue share `applyBps(valueCents, revshareBps)` (when revshareBps > 0 and a value is given).
 * Zero-amount charges are omitted, so the result may be empty. Acquisition comes first.
 */
export function priceOutcome(pricing: Pricing, valueCents: number | null): OutcomeCharge[] {
  if (valueCents !== null) assertNonNegativeCents(valueCents, "deal value");
  const charges: OutcomeCharge[] = [];
  assertNonNegativeCents(pricing.acquisitionPriceCents, "pricing.acquisitionPriceCents");
  if (pricing.acquisitionPriceCents > 0) {
    charges.push({ kind: "acquisition_charge", amountCents: pricing.acquisitionPriceCents });
  }
  if (pricing.revshareBps > 0 && valueCents !== null) {
    const share = applyBps(valueCents, pricing.revshareBps);
    if (share > 0) charges.push({ kind: "revshare_charge", amountCents: share });
  }
  return charges;
}

/** The monthly retainer in cents (0 when the contract has none). */
export function retainerFor(pricing: Pricing): number {
  assertNonNegativeCents(pricing.retainerCents, "pricing.retainerCents");
  return pricing.retainerCents;
}

/**
 * The informational verdict reason for a qualified lead beyond the monthly cap: it keeps the lead
 * qualified (effect "info") and explains why it is not billed.
 */
export function capReason(cap: MonthlyCapHit): VerdictReason {
  const message =
    cap.kind === "leads"
      ? `monthly cap of ${cap.limit} billable leads reached; qualified but not billed`
      : `monthly spend cap of ${formatCents(cap.limit)} reached (${formatCents(cap.observed)} billed this month); qualified but not billed`;
  return {
    code: "MONTHLY_CAP_REACHED",
    rule: "pricing.monthlyCap",
    message,
    observed: cap.kind === "leads" ? { billableLeads: cap.observed } : { leadChargesCents: cap.observed },
    expected: cap.kind === "leads" ? { leads: cap.limit } : { spendCents: cap.limit },
    effect: "info",
  };
}

// ---------------------------------------------------------------------------------------------
// Billing periods: calendar months in the client's time zone.

/** A billing period, 'YYYY-MM'. */
export type BillingPeriod = string;

function zoneOrThrow(timezone: string): void {
  if (!DateTime.now().setZone(timezone).isValid) {
    throw new DomainError("VALIDATION_FAILED", `unknown time zone "${timezone}"`, { details: { timezone } });
  }
}

function parsePeriod(period: string): { year: number; month: number } {
  const m = BILLING_PERIOD_RE.exec(period);
  if (!m) throw new DomainError("VALIDATION_FAILED", `billing period must be YYYY-MM, got "${period}"`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function isBillingPeriod(s: string): boolean {
  return BILLING_PERIOD_RE.test(s);
}

/** The 'YYYY-MM' calendar month that `date` falls in, in the client's time zone. */
export function billingPeriodOf(date: Date, timezone: string): BillingPeriod {
  zoneOrThrow(timezone);
  const local = DateTime.fromJSDate(date, { zone: timezone });
  if (!local.isValid) throw new DomainError("VALIDATION_FAILED", "invalid date");
  return local.toFormat("yyyy-MM");
}

/**
 * The instants bounding a billing period: `start` inclusive, `end` exclusive, both at local
 * midnight on the 1st in the client's time zone (DST-correct; if local midnight does not exist,
 * the first existing instant of that day).
 */
export function periodBounds(period: BillingPeriod, timezone: string): { start: Date; end: Date } {
  zoneOrThrow(timezone);
  const { year, month } = parsePeriod(period);
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return { start: firstInstantOfMonth(year, month, timezone), end: firstInstantOfMonth(next.year, next.month, timezone) };
}

/**
 * The earliest instant whose local date is the 1st of the month. Luxon resolves an ambiguous local
 * midnight (DST ending at 01:00, e.g. Havana) to its later occurrence and a skipped one forward;
 * searching back from that candidate at minute precision (offsets are whole minutes) finds the
 * first instant that already belongs to the new month.
 */
function firstInstantOfMonth(year: number, month: number, timezone: string): Date {
  const candidate = DateTime.fromObject({ year, month, day: 1 }, { zone: timezone }).startOf("day").toMillis();
  const target = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
  const inMonth = (ms: number) => DateTime.fromMillis(ms, { zone: timezone }).toFormat("yyyy-MM") >= target;
  let lo = candidate - 3 * 3_600_000; // before the month in every zone
  let hi = candidate;
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 2 / 60_000) * 60_000 || lo + 60_000;
    if (inMonth(mid)) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** The period before `period`: previousPeriod('2027-01') === '2026-12'. */
export function previousPeriod(period: BillingPeriod): BillingPeriod {
  const { year, month } = parsePeriod(period);
  const y = month === 1 ? year - 1 : year;
  const m = month === 1 ? 12 : month - 1;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
}

/** The period after `period`: nextPeriod('2026-12') === '2027-01'. */
export function nextPeriod(period: BillingPeriod): BillingPeriod {
  const { year, month } = parsePeriod(period);
  const y = month === 12 ? year + 1 : year;
  const m = month === 12 ? 1 : month + 1;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
}
