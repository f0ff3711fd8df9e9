import fc from "fast-check";
import { DomainError } from "../../../server/domain/errors";
import {
  applyBps,
  assertCents,
  divRoundHalfUp,
  divRoundHalfUpBig,
  sumCents,
} from "../../../server/domain/money";

describe("divRoundHalfUp", () => {
  it.each([
    [10, 2, 5],
    [10, 4, 3], // 2.5 → 3
    [10, 3, 3], // 3.33 → 3
    [11, 3, 4], // 3.67 → 4
    [1, 2, 1], // 0.5 → 1
    [1, 3, 0],
    [0, 7, 0],
    [-10, 4, -3], // −2.5 → −3 (away from zero)
    [-1, 2, -1],
    [-1, 3, 0],
    [-11, 3, -4],
    [10, -4, -3],
    [-10, -4, 3],
    [125_055_000, 10_000, 12_506], // $1,250.55 at 10 %: 12 505.5 → 12 506
    [124_945_000, 10_000, 12_495], // 12 494.5 → 12 495
    [-125_055_000, 10_000, -12_506],
  ])("divRoundHalfUp(%d, %d) is %d", (n, d, expected) => {
    expect(divRoundHalfUp(n, d)).toBe(expected);
  });

  it("never returns negative zero", () => {
    expect(Object.is(divRoundHalfUp(-1, 3), 0)).toBe(true);
  });

  it("is exact at the edge of the safe integer range", () => {
    expect(divRoundHalfUp(Number.MAX_SAFE_INTEGER, 2)).toBe(4_503_599_627_370_496); // 4503599627370495.5 → up
    expect(divRoundHalfUp(Number.MAX_SAFE_INTEGER, 1)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("refuses division by zero", () => {
    expect(() => divRoundHalfUp(1, 0)).toThrow(RangeError);
  });

  it("refuses a numerator that is not a safe integer", () => {
    expect(() => divRoundHalfUp(1.5, 1)).toThrow(RangeError);
    expect(() => divRoundHalfUp(2 ** 53, 1)).toThrow(RangeError);
  });

  it("has a bigint form for products beyond 2^53", () => {
    expect(divRoundHalfUpBig(2n ** 60n + 1n, 2n)).toBe(2n ** 59n + 1n);
    expect(divRoundHalfUpBig(-(2n ** 60n) - 1n, 2n)).toBe(-(2n ** 59n) - 1n);
  });
});

describe("applyBps", () => {
  it.each([
    [125_055, 1000, 12_506], // the worked example's $1,250.55 win at 10 %
    [300_000, 1000, 30_000],
    [1_000_000, 1000, 100_000],
    [5, 1000, 1], // 0.5 → 1
    [4, 1000, 0], // 0.4 → 0
    [-125_055, 1000, -12_506], // symmetric for credits
    [-5, 1000, -1],
    [12_345, 0, 0],
    [12_345, 10_000, 12_345],
    [1, 5000, 1], // 0.5 → 1
    [3, 3333, 1], // 0.9999 → 1
  ])("applyBps(%d cents, %d bps) is %d cents", (amount, bps, expected) => {
    expect(applyBps(amount, bps)).toBe(expected);
  });

  it("computes exactly when amount × bps exceeds 2^53", () => {
    // 9 007 199 254 740 991 × 1 000 / 10 000 = 900 719 925 474 099.1 → …099
    expect(applyBps(Number.MAX_SAFE_INTEGER, 1000)).toBe(900_719_925_474_099);
  });

  it("rejects fractional cents with a validation error", () => {
    expect(() => applyBps(10.5, 1000)).toThrow(DomainError);
    expect(() => applyBps(10, 10.5)).toThrow(/basis points/);
  });

  it("is never more than half a cent away from the exact rational result, and ties go away from zero", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 10_000 }),
        (amount, bps) => {
          const result = applyBps(amount, bps);
          const exactTimes10k = BigInt(amount) * BigInt(bps);
          const diff = BigInt(result) * 10_000n - exactTimes10k; // error × 10 000
          const absDiff = diff < 0n ? -diff : diff;
          expect(absDiff <= 5_000n).toBe(true);
          if (absDiff === 5_000n) {
            // a tie: rounded away from zero, i.e. |result| > |exact|
            expect(exactTimes10k > 0n ? diff > 0n : diff < 0n).toBe(true);
          }
        },
      ),
    );
  });

  it("rounds a charge and its credit to the same magnitude", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 10_000 }), (amount, bps) => {
        expect(applyBps(-amount, bps) + applyBps(amount, bps)).toBe(0);
      }),
    );
  });
});

describe("assertCents", () => {
  it("accepts whole cents, including negatives", () => {
    expect(() => assertCents(0, "x")).not.toThrow();
    expect(() => assertCents(-125_055, "x")).not.toThrow();
    expect(() => assertCents(Number.MAX_SAFE_INTEGER, "x")).not.toThrow();
  });

  it.each([[1.5], [Number.NaN], [Infinity], [2 ** 53], ["100"], [null]])("rejects %p as VALIDATION_FAILED", (value) => {
    let caught: unknown;
    try {
      assertCents(value, "price");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe("VALIDATION_FAILED");
    expect((caught as DomainError).message).toMatch(/^price must be a whole number of cents/);
  });
});

describe("sumCents", () => {
  it("adds whole cents", () => {
    expect(sumCents([7500, -7500, 125])).toBe(125);
  });

  it("refuses a total beyond the safe integer range", () => {
    expect(() => sumCents([Number.MAX_SAFE_INTEGER, 1])).toThrow(/too large/);
  });
});
