import { DateTime } from "luxon";
import type { RetainerProration } from "../contracts/contract-document";
import { DomainError } from "../errors";
import { assertNonNegativeCents, divRoundHalfUp } from "../money";
import { formatCents } from "../money-format";
import { billingPeriodOf, periodBounds, previousPeriod, type BillingPeriod } from "./pricing";

/**
 * Which billing periods a client can be billed for, and how much of the retainer a period carries
 * (docs/decisions/009-period-close-and-retainer-proration.md). Pure: the caller reads the facts.
 *
 * ONE rule for the manual close (`closePeriod`) and the scheduled sweep (`closeDuePeriods`):
 *   - a period must have ended in the client's time zone (PERIOD_NOT_ENDED);
 *   - it must end after the client was created (PERIOD_BEFORE_CLIENT) and after its first contract
 *     version took effect (PERIOD_BEFORE_CONTRACT; also when there is no contract version at all).
 * The client is served from `serviceStart` = the later of the two instants.
 */

export interface ServiceFacts {
  timezone: string;
  clientCreatedAt: Date;
  /** effectiveFrom of the client's first contract version; null while it has none. */
  firstContractAt: Date | null;
  /** When the client stopped being active (null while it is active). */
  deactivatedAt: Date | null;
}

export type Closability = { closable: true } | { closable: false; error: DomainError };

const dayLabel = (d: Date, timezone: string) => DateTime.fromJSDate(d, { zone: timezone }).setLocale("en-US").toFormat("LLL d, yyyy");

/** The later of client creation and first contract effect; null without a contract version. */
export function serviceStart(facts: ServiceFacts): Date | null {
  if (!facts.firstContractAt) return null;
  return new Date(Math.max(facts.clientCreatedAt.getTime(), facts.firstContractAt.getTime()));
}

/** Whether `period` can be closed at `now`; when not, the DomainError that says why. */
export function periodClosability(period: BillingPeriod, facts: ServiceFacts, now: Date): Closability {
  const { timezone } = facts;
  const bounds = periodBounds(period, timezone);
  const endsAt = bounds.end.toISOString();
  const refuse = (error: DomainError): Closability => ({ closable: false, error });
  if (facts.clientCreatedAt.getTime() >= bounds.end.getTime()) {
    return refuse(
      new DomainError("PERIOD_BEFORE_CLIENT", `The client was created on ${dayLabel(facts.clientCreatedAt, timezone)}; there is nothing to bill for ${period}.`, {
        details: { period, endsAt, clientCreatedAt: facts.clientCreatedAt.toISOString() },
      }),
    );
  }
  if (!facts.firstContractAt) {
    return refuse(
      new DomainError("PERIOD_BEFORE_CONTRACT", `The client has no contract yet; there is nothing to bill for ${period}. Publish a contract first.`, {
        details: { period, endsAt, firstContractAt: null },
      }),
    );
  }
  if (facts.firstContractAt.getTime() >= bounds.end.getTime()) {
    return refuse(
      new DomainError("PERIOD_BEFORE_CONTRACT", `The client's first contract takes effect on ${dayLabel(facts.firstContractAt, timezone)}; there is nothing to bill for ${period}.`, {
        details: { period, endsAt, firstContractAt: facts.firstContractAt.toISOString() },
      }),
    );
  }
  if (now.getTime() < bounds.end.getTime()) {
    return refuse(
      new DomainError("PERIOD_NOT_ENDED", `The billing period ${period} has not ended yet in ${timezone}; it can be closed from ${endsAt}.`, {
        details: { period, endsAt },
      }),
    );
  }
  return { closable: true };
}

/** Throws the reason when `period` cannot be closed at `now`. */
export function assertPeriodClosable(period: BillingPeriod, facts: ServiceFacts, now: Date): void {
  const c = periodClosability(period, facts, now);
  if (!c.closable) throw c.error;
}

export type LatestClosable =
  | { period: BillingPeriod }
  | {
      period: null;
      /** Why no period can be closed yet (the rule's message for last month). */
      reason: string;
      /** The first period there will be to bill, and when it can be closed (null without a contract). */
      firstPeriod: BillingPeriod | null;
      closableFrom: Date | null;
    };

/**
 * The most recent closable period at `now` — the month before the current one in the client's time
 * zone — or, when that month cannot be closed, why and when the first one can. (The rule is
 * monotonic: when last month ended before the client was served, every earlier month did too.)
 */
export function latestClosablePeriod(facts: ServiceFacts, now: Date): LatestClosable {
  const last = previousPeriod(billingPeriodOf(now, facts.timezone));
  const c = periodClosability(last, facts, now);
  if (c.closable) return { period: last };
  const start = serviceStart(facts);
  const firstPeriod = start ? billingPeriodOf(start, facts.timezone) : null;
  return { period: null, reason: c.error.message, firstPeriod, closableFrom: firstPeriod ? periodBounds(firstPeriod, facts.timezone).end : null };
}

// ---------------------------------------------------------------------------------------------
// Retainer proration

export interface RetainerShare {
  period: BillingPeriod;
  /** The contract's monthly retainer. */
  fullCents: number;
  /** What the period carries: fullCents, or round(fullCents × days / daysInMonth) when prorated. */
  amountCents: number;
  /** Days served in the period (client time zone, first and last day counted whole). */
  days: number;
  daysInMonth: number;
  /** First and last day served, YYYY-MM-DD in the client's time zone. */
  firstDay: string;
  lastDay: string;
  prorated: boolean;
}

/** round(fullCents × days / daysInMonth) through the one rounding rule (money.ts). */
export function proratedCents(fullCents: number, days: number, daysInMonth: number): number {
  assertNonNegativeCents(fullCents, "retainer");
  if (!Number.isSafeInteger(daysInMonth) || daysInMonth < 28 || daysInMonth > 31) throw new DomainError("VALIDATION_FAILED", `days in month must be 28..31, got ${daysInMonth}`);
  if (!Number.isSafeInteger(days) || days < 0 || days > daysInMonth) throw new DomainError("VALIDATION_FAILED", `days must be 0..${daysInMonth}, got ${days}`);
  return divRoundHalfUp(fullCents * days, daysInMonth);
}

/**
 * The retainer of `period`: the days the client was served in it — from the local day of
 * `serviceStart` (client created or first contract effective, whichever is later) to the local day
 * of deactivation, both counted whole — and, with proration "daily", the matching share of the
 * retainer. Null when the period has no retainer (0 cents, no day served, or no contract).
 */
export function retainerForPeriod(input: { period: BillingPeriod; fullCents: number; proration: RetainerProration; facts: ServiceFacts }): RetainerShare | null {
  const { period, fullCents, proration, facts } = input;
  assertNonNegativeCents(fullCents, "retainer");
  const start = serviceStart(facts);
  if (fullCents === 0 || !start) return null;
  const { start: periodStart, end: periodEnd } = periodBounds(period, facts.timezone);
  const local = (d: Date) => DateTime.fromJSDate(d, { zone: facts.timezone });
  const month = local(periodStart);
  const daysInMonth = month.daysInMonth!;
  if (start.getTime() >= periodEnd.getTime()) return null;
  if (facts.deactivatedAt && facts.deactivatedAt.getTime() < periodStart.getTime()) return null;
  const firstDayNumber = start.getTime() >= periodStart.getTime() ? local(start).day : 1;
  const lastDayNumber = facts.deactivatedAt && facts.deactivatedAt.getTime() < periodEnd.getTime() ? local(facts.deactivatedAt).day : daysInMonth;
  if (lastDayNumber < firstDayNumber) return null;
  const days = lastDayNumber - firstDayNumber + 1;
  const prorated = proration === "daily" && days < daysInMonth;
  const ymd = (day: number) => `${period}-${String(day).padStart(2, "0")}`;
  return {
    period,
    fullCents,
    amountCents: prorated ? proratedCents(fullCents, days, daysInMonth) : fullCents,
    days,
    daysInMonth,
    firstDay: ymd(firstDayNumber),
    lastDay: ymd(lastDayNumber),
    prorated,
  };
}

// ---------------------------------------------------------------------------------------------
// The prorated retainer's memo: the ratio travels with the ledger entry, so the invoice line can be
// shown and the amount re-derived from the entry alone.

const MEMO_RE = /^retainer (\d{4}-\d{2}) prorated (\d{1,2})\/(\d{2}) days \((\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})\) of (\d+) cents$/;

/** `retainer 2026-12` for a whole month; `retainer 2026-12 prorated 26/31 days (2026-12-06 to 2026-12-31) of 50000 cents` for a part. */
export function retainerMemo(share: RetainerShare): string {
  if (!share.prorated) return `retainer ${share.period}`;
  return `retainer ${share.period} prorated ${share.days}/${share.daysInMonth} days (${share.firstDay} to ${share.lastDay}) of ${share.fullCents} cents`;
}

/** The proration a retainer memo records, or null for a whole-month (or unknown) memo. */
export function parseRetainerMemo(memo: string | null): Pick<RetainerShare, "period" | "days" | "daysInMonth" | "firstDay" | "lastDay" | "fullCents"> | null {
  const m = memo === null ? null : MEMO_RE.exec(memo);
  if (!m) return null;
  return { period: m[1]!, days: Number(m[2]), daysInMonth: Number(m[3]), firstDay: m[4]!, lastDay: m[5]!, fullCents: Number(m[6]) };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** The invoice line of a prorated retainer: "Retainer Dec 6–31, 26/31 of $500.00". */
export function proratedRetainerDescription(p: Pick<RetainerShare, "days" | "daysInMonth" | "firstDay" | "lastDay" | "fullCents">, currency = "USD"): string {
  const month = MONTHS[Number(p.firstDay.slice(5, 7)) - 1]!;
  const first = Number(p.firstDay.slice(8, 10));
  const last = Number(p.lastDay.slice(8, 10));
  const span = first === last ? `${month} ${first}` : `${month} ${first}–${last}`;
  return `Retainer ${span}, ${p.days}/${p.daysInMonth} of ${formatCents(p.fullCents, currency)}`;
}
