import { formatCents } from "../../server/domain/money-format";
import type { ReasonCode } from "../../server/domain/qualification/verdict";

/** Display helpers shared by the console and the portal (pure; server code only from the allowed domain modules). */

/**
 * Money as the pages write it: the server's formatter (the one e-mails, the CLI and error messages
 * use, so "€9.90" reads the same everywhere), with a typographic minus ("−$75.00") and "—" for no amount.
 */
export function money(cents: number | null | undefined, currency = "USD"): string {
  if (cents === null || cents === undefined) return "—";
  const s = formatCents(cents, currency);
  return s.startsWith("-") ? `−${s.slice(1)}` : s;
}

export function dateTime(v: string | Date | null | undefined, timeZone = "UTC"): string {
  if (!v) return "—";
  return new Date(v).toLocaleString("en-US", { timeZone, month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit" });
}

export function dateOnly(v: string | Date | null | undefined, timeZone = "UTC"): string {
  if (!v) return "—";
  return new Date(v).toLocaleDateString("en-US", { timeZone, month: "short", day: "numeric", year: "numeric" });
}

export function phone(e164: string | null | undefined): string {
  if (!e164) return "—";
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

export const STATUS_BADGE: Record<string, string> = { qualified: "ok", rejected: "bad", received: "info", won: "ok", lost: "warn" };

export const SOURCE_LABEL: Record<string, string> = { form: "Web form", api: "Vendor / API", call: "Phone call" };

/** Every reason code the server can give a lead has its words here (a new code fails the typecheck until it does). */
const REASON_LABEL: Record<ReasonCode, string> = {
  REQUIRED_FIELD_MISSING: "Missing information",
  INVALID_PHONE: "Invalid phone",
  HONEYPOT_FILLED: "Spam trap",
  OUT_OF_SERVICE_AREA: "Outside service area",
  OUTSIDE_BUSINESS_HOURS: "Outside business hours",
  DUPLICATE: "Duplicate",
  BLOCKED_PHONE: "Blocked phone",
  BLOCKED_EMAIL: "Blocked e-mail",
  BLOCKED_EMAIL_DOMAIN: "Blocked e-mail domain",
  CUSTOM_RULE_FAILED: "Did not meet a requirement",
  CALL_TOO_SHORT: "Call too short",
  CALL_NOT_CONNECTED: "Call not connected",
  MONTHLY_CAP_REACHED: "Monthly cap reached",
  SIGNAL_RULE_FAILED: "Failed an intake check",
  SIGNAL_UNAVAILABLE: "Check unavailable",
};

export function reasonLabel(code: string): string {
  return (REASON_LABEL as Record<string, string>)[code] ?? code;
}

/**
 * Seconds as people read them: 0.4 → "0.4 s" (speed to lead is often under a second), 42 → "42 s",
 * 185 → "3 min 5 s", 7440 → "2 h 4 min", 277200 → "3 d 5 h"; null → "—".
 */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  if (seconds < 9.95) {
    const tenths = Math.round(seconds * 10) / 10;
    return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)} s`;
  }
  const s = Math.round(seconds);
  const two = (big: number, bigUnit: string, small: number, smallUnit: string) => `${big} ${bigUnit}${small ? ` ${small} ${smallUnit}` : ""}`;
  if (s < 60) return `${s} s`;
  if (s < 3600) return two(Math.floor(s / 60), "min", s % 60, "s");
  if (s < 86_400) return two(Math.floor(s / 3600), "h", Math.floor((s % 3600) / 60), "min");
  return two(Math.floor(s / 86_400), "d", Math.floor((s % 86_400) / 3600), "h");
}

/** "ann SMITH" → "Ann Smith"; names from caller ID come in capitals ("SMITH ANN"). Keeps "McDonald" and "O'Neil" as typed when mixed case. */
export function titleCase(name: string | null | undefined): string {
  if (!name) return "";
  const s = name.trim().replace(/\s+/g, " ");
  if (s !== s.toUpperCase() && s !== s.toLowerCase()) return s;
  return s.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/** "Ann S." from "Ann Smith"; a one-word name as it is. */
export function shortName(name: string | null | undefined): string {
  const parts = titleCase(name).split(" ").filter(Boolean);
  if (parts.length === 0) return "";
  return parts.length === 1 ? parts[0]! : `${parts[0]} ${parts[parts.length - 1]![0]}.`;
}

/** A lead named in words instead of its id: "lead from Nov 28, Ann S." (or the phone number when it has no name). */
export function leadLabel(lead: { name?: string | null; phone?: string | null; receivedAt: string | Date }, timeZone: string): string {
  const who = shortName(lead.name) || (lead.phone ? phone(lead.phone) : "");
  const day = new Date(lead.receivedAt).toLocaleDateString("en-US", { timeZone, month: "short", day: "numeric" });
  return `lead from ${day}${who ? `, ${who}` : ""}`;
}

/** "EST", "PST", "GMT+1": the short zone name at that instant, to label times where zones mix. */
export function zoneAbbr(v: string | Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" }).formatToParts(new Date(v)).find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}

/** dateTime with its zone: "Nov 28, 2026, 7:40 AM EST". */
export function dateTimeZoned(v: string | Date | null | undefined, timeZone = "UTC"): string {
  if (!v) return "—";
  return `${dateTime(v, timeZone)} ${zoneAbbr(v, timeZone)}`;
}

/** A ratio in basis points as "3.2×" (30 000 bps → 3×). */
export function times(bps: number | null | undefined): string {
  if (bps === null || bps === undefined) return "—";
  const x = bps / 10_000;
  return `${x >= 10 ? Math.round(x) : Math.round(x * 10) / 10}×`;
}

/** The calendar day ("2026-12-01") of an instant in a time zone: what date inputs and date filters take. */
export function calendarDate(v: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(v));
}
