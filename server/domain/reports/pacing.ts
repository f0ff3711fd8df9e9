import { billingPeriodOf, periodBounds } from "../billing/pricing";
import type { Pricing } from "../contracts/contract-document";
import { BPS_DENOMINATOR, divRoundHalfUp, divRoundHalfUpBig } from "../money";

/**
 * Pacing against the monthly cap of the contract version in force (docs/architecture.md pricing.monthlyCap).
 * Pure: the caller supplies month-to-date usage and the month's bounds in the client's time zone.
 *
 * - used: leads cap → billable leads received this month; spend cap → lead_charge cents this
 *   period (the same figures `priceLeadCharge` checks the cap against).
 * - projected end-of-month = used / elapsed fraction of the month (linear extrapolation).
 * - status: 'will_exhaust_early' when projected > cap (with the instant the cap runs out at this
 *   pace), 'will_fall_short' when projected < 80 % of the cap, else 'on_track'; 'no_cap' without a cap;
 *   'too_early' in the first ≈ 3 days of the month (MIN_ELAPSED_BPS) unless usage is already telling.
 *
 * Comparisons are exact integer arithmetic on bigints (no float thresholds); `projected` is
 * rounded once with the project's rounding rule for display.
 */

export type PacingStatus = "on_track" | "will_exhaust_early" | "will_fall_short" | "too_early" | "no_cap";
export type CapKind = "leads" | "spend";

/** Projected below this share of the cap (in bps) is "falling short". */
export const FALL_SHORT_BPS = 8_000;
/**
 * A projection from a few hours of a month is noise ("falling short — 0 of 200" on the 1st at 08:40):
 * before this share of the month has passed (≈ 3 days) the status is 'too_early', unless usage alone
 * says something — the cap is reached, or a quarter of it is already used (then it may run out early).
 */
export const MIN_ELAPSED_BPS = 1_000;
export const EARLY_USAGE_BPS = 2_500;

export interface MonthToDateUsage {
  /** Billable leads received this month. */
  billableLeads: number;
  /** Lead charges (cents) of this billing period. */
  leadChargesCents: number;
}

export interface Pacing {
  status: PacingStatus;
  /** Which cap drives the status (the more constraining one when a contract has both). */
  kind: CapKind | null;
  /** Leads, or cents for a spend cap; null without a cap. */
  cap: number | null;
  used: number;
  /** Projected end-of-month usage at the current pace (same unit as `cap`). */
  projected: number;
  /** used / cap in bps (may exceed 10 000); null without a cap. */
  usedBps: number | null;
  /** projected / cap in bps; null without a cap. */
  projectedBps: number | null;
  /** When the cap runs out at this pace (≤ now when it is already used up); null unless 'will_exhaust_early'. */
  exhaustsAt: Date | null;
  /** The cap is already used up: further leads this month are not billed. */
  capReached: boolean;
  /** Elapsed share of the month in bps. */
  monthElapsedBps: number;
}

export interface MonthWindow {
  /** Local midnight on the 1st (inclusive). */
  start: Date;
  /** Local midnight on the 1st of the next month (exclusive). */
  end: Date;
}

/** The client's calendar month containing `now` (DST-correct, via the billing period rules). */
export function monthWindowOf(now: Date, timezone: string): MonthWindow & { period: string } {
  const period = billingPeriodOf(now, timezone);
  return { period, ...periodBounds(period, timezone) };
}

/** Elapsed and total milliseconds of the month at `now` (elapsed clamped to [1 ms, total]). */
export function monthElapsed(now: Date, month: MonthWindow): { elapsedMs: number; totalMs: number } {
  const totalMs = month.end.getTime() - month.start.getTime();
  const elapsedMs = Math.min(totalMs, Math.max(1, now.getTime() - month.start.getTime()));
  return { elapsedMs, totalMs };
}

/** Pacing of one usage figure against one cap. */
export function paceAgainstCap(input: { kind: CapKind; cap: number; used: number; now: Date; month: MonthWindow }): Pacing {
  const { kind, cap, used, month } = input;
  const { elapsedMs, totalMs } = monthElapsed(input.now, month);
  const U = BigInt(used);
  const C = BigInt(cap);
  const E = BigInt(elapsedMs);
  const T = BigInt(totalMs);
  const projected = Number(divRoundHalfUpBig(U * T, E));
  // projected > cap  ⇔  used·total > cap·elapsed ; projected < 80 % cap ⇔ used·total·10000 < 8000·cap·elapsed
  const exhausts = U * T > C * E;
  const fallsShort = U * T * BigInt(BPS_DENOMINATOR) < BigInt(FALL_SHORT_BPS) * C * E;
  // elapsed/total < MIN_ELAPSED_BPS/10000 ⇔ elapsed·10000 < MIN·total (exact, like the rest)
  const early = E * BigInt(BPS_DENOMINATOR) < BigInt(MIN_ELAPSED_BPS) * T;
  const telling = used >= cap || U * BigInt(BPS_DENOMINATOR) >= BigInt(EARLY_USAGE_BPS) * C;
  const status: PacingStatus = early && !(telling && exhausts) ? "too_early" : exhausts ? "will_exhaust_early" : fallsShort ? "will_fall_short" : "on_track";
  // At a constant pace usage reaches the cap after elapsed·cap/used.
  const exhaustsAt = exhausts ? new Date(month.start.getTime() + Number(divRoundHalfUpBig(E * C, U))) : null;
  return {
    status,
    kind,
    cap,
    used,
    projected,
    usedBps: divRoundHalfUp(used * BPS_DENOMINATOR, cap),
    projectedBps: Number(divRoundHalfUpBig(U * T * BigInt(BPS_DENOMINATOR), E * C)),
    exhaustsAt,
    capReached: used >= cap,
    monthElapsedBps: divRoundHalfUp(elapsedMs * BPS_DENOMINATOR, totalMs),
  };
}

/**
 * Pacing of a client this month under `pricing` (the version in force). With both a leads and a
 * spend cap, the one with the higher projected share of its cap wins (it binds first).
 */
export function computePacing(pricing: Pick<Pricing, "monthlyCap"> | null | undefined, usage: MonthToDateUsage, now: Date, month: MonthWindow): Pacing {
  const cap = pricing?.monthlyCap;
  const candidates: Pacing[] = [];
  if (cap?.leads !== undefined) candidates.push(paceAgainstCap({ kind: "leads", cap: cap.leads, used: usage.billableLeads, now, month }));
  if (cap?.spendCents !== undefined) candidates.push(paceAgainstCap({ kind: "spend", cap: cap.spendCents, used: usage.leadChargesCents, now, month }));
  if (candidates.length === 0) {
    const { elapsedMs, totalMs } = monthElapsed(now, month);
    return {
      status: "no_cap",
      kind: null,
      cap: null,
      used: usage.billableLeads,
      projected: Number(divRoundHalfUpBig(BigInt(usage.billableLeads) * BigInt(totalMs), BigInt(elapsedMs))),
      usedBps: null,
      projectedBps: null,
      exhaustsAt: null,
      capReached: false,
      monthElapsedBps: divRoundHalfUp(elapsedMs * BPS_DENOMINATOR, totalMs),
    };
  }
  return candidates.reduce((a, b) => (bindsFirst(b, a) ? b : a));
}

function bindsFirst(a: Pacing, b: Pacing): boolean {
  // compare used_a/cap_a with used_b/cap_b without division: both share the same elapsed fraction.
  return BigInt(a.used) * BigInt(b.cap ?? 1) > BigInt(b.used) * BigInt(a.cap ?? 1);
}

/** Share a / b in bps, null when b is 0 (a rate of nothing is not 0 %). */
export function rateBps(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return divRoundHalfUp(numerator * BPS_DENOMINATOR, denominator);
}
