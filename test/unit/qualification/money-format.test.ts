import { DomainError } from "../../../server/domain/errors";
import { formatCents } from "../../../server/domain/money-format";

describe("formatCents", () => {
  it.each<[number, string, string]>([
    [0, "USD", "$0.00"],
    [5, "USD", "$0.05"],
    [99, "USD", "$0.99"],
    [100, "USD", "$1.00"],
    [7_500, "USD", "$75.00"],
    [125_006, "USD", "$1,250.06"],
    [100_000_000, "USD", "$1,000,000.00"],
    [-500, "USD", "-$5.00"],
    [-125_006, "USD", "-$1,250.06"],
    [990, "EUR", "€9.90"],
    [990, "eur", "€9.90"],
    [1_500, "JPY", "¥1,500"],
    [100, "CHF", "CHF 1.00"],
    [Number.MAX_SAFE_INTEGER, "USD", "$90,071,992,547,409.91"],
  ])("formats %d %s as %s", (cents, currency, expected) => {
    expect(formatCents(cents, currency)).toBe(expected);
  });

  it("defaults to US dollars", () => {
    expect(formatCents(6_000)).toBe("$60.00");
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])("refuses %p, which is not a whole number of cents", (cents) => {
    expect(() => formatCents(cents)).toThrow(DomainError);
  });
});
