import { DomainError } from "./errors";

/**
 * Money in LeadLedger is integer cents (JS numbers that are safe integers; bigint in the database)
 * and percentages are basis points (1 bps = 0.01 %). There is exactly ONE rounding rule, here:
 * round half away from zero ("half up" for positive amounts, symmetric for negative ones).
 * Every other module that needs to divide money calls `divRoundHalfUp` / `applyBps`.
 * Display formatting lives in ./money-format.ts.
 */

export const BPS_DENOMINATOR = 10_000;

/**
 * Exact integer division rounding half away from zero, on bigints.
 * divRoundHalfUpBig(5n, 2n) === 3n, divRoundHalfUpBig(-5n, 2n) === -3n, divRoundHalfUpBig(4n, 3n) === 1n.
 */
export function divRoundHalfUpBig(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError("divRoundHalfUp: division by zero");
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let q = n / d;
  const r = n % d;
  if (r * 2n >= d) q += 1n;
  return negative ? -q : q;
}

/**
 * Integer division rounding half away from zero. Both arguments must be safe integers; the
 * arithmetic runs on bigints so nothing is lost however large they are. The result is a safe
 * integer because |result| <= |numerator| when |denominator| >= 1.
 */
export function divRoundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator)) {
    throw new RangeError(`divRoundHalfUp: numerator ${numerator} is not a safe integer (use divRoundHalfUpBig)`);
  }
  if (!Number.isSafeInteger(denominator)) {
    throw new RangeError(`divRoundHalfUp: denominator ${denominator} is not a safe integer`);
  }
  const q = Number(divRoundHalfUpBig(BigInt(numerator), BigInt(denominator)));
  return q === 0 ? 0 : q; // never -0
}

/**
 * `amountCents × bps / 10 000`, rounded half away from zero: 10 % (1000 bps) of 125 055 cents is
 * 12 505.5 → 12 506 cents. The product is formed as a bigint, so it may exceed 2^53.
 */
export function applyBps(amountCents: number, bps: number): number {
  assertCents(amountCents, "amount");
  assertBps(bps, "basis points");
  const q = divRoundHalfUpBig(BigInt(amountCents) * BigInt(bps), BigInt(BPS_DENOMINATOR));
  const result = Number(q);
  if (!Number.isSafeInteger(result)) {
    throw new DomainError("VALIDATION_FAILED", `${amountCents} cents at ${bps} bps is too large to represent exactly`);
  }
  return result === 0 ? 0 : result;
}

/** Throws VALIDATION_FAILED unless `n` is a whole, safely representable number of cents. */
export function assertCents(n: unknown, what: string): asserts n is number {
  if (typeof n !== "number" || !Number.isSafeInteger(n)) {
    throw new DomainError("VALIDATION_FAILED", `${what} must be a whole number of cents, got ${String(n)}`, {
      details: { what, value: typeof n === "number" ? n : String(n) },
    });
  }
}

/** Like assertCents, and also rejects negative amounts. */
export function assertNonNegativeCents(n: unknown, what: string): asserts n is number {
  assertCents(n, what);
  if (n < 0) {
    throw new DomainError("VALIDATION_FAILED", `${what} must not be negative, got ${n}`, { details: { what, value: n } });
  }
}

/** Throws VALIDATION_FAILED unless `n` is a safe integer number of basis points (may be negative or > 10 000). */
export function assertBps(n: unknown, what: string): asserts n is number {
  if (typeof n !== "number" || !Number.isSafeInteger(n)) {
    throw new DomainError("VALIDATION_FAILED", `${what} must be a whole number of basis points, got ${String(n)}`, {
      details: { what, value: typeof n === "number" ? n : String(n) },
    });
  }
}

/** Sum of cents with a check that the running total stays a safe integer. */
export function sumCents(amounts: Iterable<number>): number {
  let total = 0;
  for (const a of amounts) {
    assertCents(a, "amount");
    total += a;
    if (!Number.isSafeInteger(total)) {
      throw new DomainError("VALIDATION_FAILED", "sum of amounts is too large to represent exactly");
    }
  }
  return total;
}
