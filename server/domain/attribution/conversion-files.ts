import { stringify } from "csv-stringify/sync";
import { DateTime } from "luxon";
import { safeText } from "../shared/csv";
import { sourceLabel } from "./describe";

/**
 * Offline conversion files for the ad platforms (docs/decisions/022-attribution.md). Pure: the same
 * conversions in, the same bytes out.
 *
 * Google Ads (its "conversions from clicks" import): first row `Parameters:TimeZone=<IANA zone>`,
 * then `Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency`
 * followed by the `GBRAID` and `WBRAID` columns; each row carries exactly one of the three click ids
 * (gclid first). Times are `yyyy-MM-dd HH:mm:ss` in the client's zone, values a plain decimal
 * ("1250.00", no grouping, no symbol). Microsoft Ads: the same layout with `Microsoft Click ID`.
 * Lines end in CRLF (RFC 4180); a field with a comma, quote or line break is quoted.
 */

export const CONVERSION_PLATFORMS = ["google", "microsoft", "csv"] as const;
export type ConversionPlatform = (typeof CONVERSION_PLATFORMS)[number];

export interface Conversion {
  leadId: string;
  wonAt: Date;
  valueCents: number | null;
  gclid: string | null;
  gbraid: string | null;
  wbraid: string | null;
  msclkid: string | null;
  fbclid: string | null;
  ttclid: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  landingPage: string | null;
  referrer: string | null;
  firstTouchAt: string | null;
  receivedAt: Date;
  leadSource: string;
  campaignName: string;
  /** Exported to this platform before (a re-export). */
  exportedBefore: boolean;
}

export interface FileSettings {
  timezone: string;
  currency: string;
  conversionName: string;
}

const ZERO_DECIMAL = new Set(["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "RWF"]);

/** 125050 → "1250.50" (USD), 1250 → "1250" (JPY); integer arithmetic only; null → "". */
export function conversionValue(cents: number | null, currency: string): string {
  if (cents === null) return "";
  if (ZERO_DECIMAL.has(currency.toUpperCase())) return String(cents);
  const neg = cents < 0;
  const a = Math.abs(cents);
  return `${neg ? "-" : ""}${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")}`;
}

/** "2026-12-02 14:05:09" in `timezone`. */
export function conversionTime(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toFormat("yyyy-MM-dd HH:mm:ss");
}

const csv = (records: (string | number)[][]) => stringify(records, { record_delimiter: "\r\n" });

/** Which conversions each platform's file can carry (a click id of that platform). */
export function exportableTo(platform: ConversionPlatform, c: Pick<Conversion, "gclid" | "gbraid" | "wbraid" | "msclkid">): boolean {
  if (platform === "google") return Boolean(c.gclid || c.gbraid || c.wbraid);
  if (platform === "microsoft") return Boolean(c.msclkid);
  return true;
}

export function googleAdsFile(conversions: readonly Conversion[], s: FileSettings): string {
  const rows: (string | number)[][] = [[`Parameters:TimeZone=${s.timezone}`], ["Google Click ID", "Conversion Name", "Conversion Time", "Conversion Value", "Conversion Currency", "GBRAID", "WBRAID"]];
  for (const c of conversions) {
    if (!exportableTo("google", c)) continue;
    // Exactly one click id per row: Google refuses a row with two.
    const gclid = c.gclid ?? "";
    const gbraid = gclid ? "" : (c.gbraid ?? "");
    const wbraid = gclid || gbraid ? "" : (c.wbraid ?? "");
    rows.push([gclid, s.conversionName, conversionTime(c.wonAt, s.timezone), conversionValue(c.valueCents, s.currency), s.currency, gbraid, wbraid]);
  }
  return csv(rows);
}

export function microsoftAdsFile(conversions: readonly Conversion[], s: FileSettings): string {
  const rows: (string | number)[][] = [[`Parameters:TimeZone=${s.timezone}`], ["Microsoft Click ID", "Conversion Name", "Conversion Time", "Conversion Value", "Conversion Currency"]];
  for (const c of conversions) {
    if (!c.msclkid) continue;
    rows.push([c.msclkid, s.conversionName, conversionTime(c.wonAt, s.timezone), conversionValue(c.valueCents, s.currency), s.currency]);
  }
  return csv(rows);
}

/** Every won lead with its attribution, for any other platform (text cells guarded against spreadsheet formulas). */
export function genericConversionsFile(conversions: readonly Conversion[], s: FileSettings): string {
  const rows: (string | number)[][] = [
    [
      "lead_id", "won_at", "value", "currency", "source", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
      "gclid", "gbraid", "wbraid", "msclkid", "fbclid", "ttclid", "landing_page", "referrer", "first_visit_at", "lead_received_at", "lead_source", "campaign", "exported_before",
    ],
  ];
  for (const c of conversions) {
    rows.push([
      c.leadId,
      conversionTime(c.wonAt, s.timezone),
      conversionValue(c.valueCents, s.currency),
      s.currency,
      sourceLabel(c),
      ...[c.utmSource, c.utmMedium, c.utmCampaign, c.utmTerm, c.utmContent, c.gclid, c.gbraid, c.wbraid, c.msclkid, c.fbclid, c.ttclid, c.landingPage, c.referrer].map(safeText),
      c.firstTouchAt ? conversionTime(new Date(c.firstTouchAt), s.timezone) : "",
      conversionTime(c.receivedAt, s.timezone),
      c.leadSource,
      safeText(c.campaignName),
      c.exportedBefore ? "yes" : "no",
    ]);
  }
  return csv(rows);
}

export function conversionFile(platform: ConversionPlatform, conversions: readonly Conversion[], s: FileSettings): string {
  return platform === "google" ? googleAdsFile(conversions, s) : platform === "microsoft" ? microsoftAdsFile(conversions, s) : genericConversionsFile(conversions, s);
}
