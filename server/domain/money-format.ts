import { DomainError } from "./errors";

/**
 * Display formatting for money. Amounts are integer minor units ("cents"); formatting uses integer
 * arithmetic only (no division into floats), so 125006 is always "$1,250.06".
 */

const SYMBOLS: Readonly<Record<string, string>> = {
  USD: "$",
  EUR: "€",
  GBP: "£",
  CAD: "CA$",
  AUD: "A$",
  NZD: "NZ$",
  JPY: "¥",
};

/** Currencies whose minor unit is the major unit (ISO 4217 exponent 0). Everything else uses 2 digits. */
const ZERO_DECIMAL = new Set(["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "RWF"]);

function groupThousands(digits: string): string {
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return out;
}

/**
 * `formatCents(125006)` → "$1,250.06"; `formatCents(-500)` → "-$5.00"; `formatCents(990, "EUR")` → "€9.90";
 * a currency without a known symbol is written as its code: `formatCents(100, "CHF")` → "CHF 1.00".
 * Throws VALIDATION_FAILED unless `cents` is a safe integer.
 */
export function formatCents(cents: number, currency = "USD"): string {
  if (typeof cents !== "number" || !Number.isSafeInteger(cents)) {
    throw new DomainError("VALIDATION_FAILED", `an amount must be a whole number of cents, got ${String(cents)}`);
  }
  const code = currency.toUpperCase();
  const symbol = SYMBOLS[code] ?? `${code} `;
  const negative = cents < 0;
  const abs = String(Math.abs(cents));
  let body: string;
  if (ZERO_DECIMAL.has(code)) {
    body = groupThousands(abs);
  } else {
    const padded = abs.padStart(3, "0");
    body = `${groupThousands(padded.slice(0, -2))}.${padded.slice(-2)}`;
  }
  return `${negative ? "-" : ""}${symbol}${body}`;
}
