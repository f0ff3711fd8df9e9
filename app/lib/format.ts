/** Display helpers shared by the console and the portal (pure, no server imports). */
export function money(cents: number | null | undefined, currency = "USD"): string {
  if (cents === null || cents === undefined) return "—";
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toLocaleString("en-US");
  const s = `${currency === "USD" ? "$" : `${currency} `}${whole}.${String(abs % 100).padStart(2, "0")}`;
  return neg ? `−${s}` : s;
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

export function reasonLabel(code: string): string {
  return (
    {
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
    } as Record<string, string>
  )[code] ?? code;
}
