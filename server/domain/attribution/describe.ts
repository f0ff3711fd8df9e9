import { DateTime } from "luxon";
import type { LeadAttribution } from "./attribution";

/**
 * A lead's attribution in plain words for people (portal and console lead pages):
 * "Google Ads · campaign roof-repair-nyc · keyword 'emergency roof repair' · landed on /roof-repair ·
 * first visit Nov 28, converted Dec 2". Dates in the client's time zone.
 */

const SOURCE_NAMES: Record<string, string> = {
  google: "Google",
  bing: "Microsoft Bing",
  microsoft: "Microsoft",
  facebook: "Facebook",
  fb: "Facebook",
  instagram: "Instagram",
  tiktok: "TikTok",
  youtube: "YouTube",
  yelp: "Yelp",
  nextdoor: "Nextdoor",
  email: "E-mail",
  newsletter: "Newsletter",
};
const PAID_MEDIUMS = new Set(["cpc", "ppc", "paid", "paidsearch", "paid_search", "paid-social", "paid_social", "paidsocial", "cpm", "display"]);

/** The ad platform or source a person would name ("Google Ads", "Facebook", "from nytimes.com", "Direct visit"). */
export function sourceLabel(a: Pick<LeadAttribution, "gclid" | "gbraid" | "wbraid" | "msclkid" | "fbclid" | "ttclid" | "utmSource" | "utmMedium" | "referrer">): string {
  if (a.gclid || a.gbraid || a.wbraid) return "Google Ads";
  if (a.msclkid) return "Microsoft Ads";
  if (a.fbclid) return "Facebook Ads";
  if (a.ttclid) return "TikTok Ads";
  if (a.utmSource) {
    const key = a.utmSource.toLowerCase();
    const name = SOURCE_NAMES[key] ?? a.utmSource;
    const paid = a.utmMedium ? PAID_MEDIUMS.has(a.utmMedium.toLowerCase()) : false;
    if (paid && (key === "google" || key === "bing" || key === "microsoft")) return key === "google" ? "Google Ads" : "Microsoft Ads";
    return a.utmMedium && !paid ? `${name} (${a.utmMedium})` : paid ? `${name} Ads` : name;
  }
  if (a.referrer) {
    try {
      return `from ${new URL(a.referrer).hostname.replace(/^www\./, "")}`;
    } catch {
      return "from another site";
    }
  }
  return "Direct visit";
}

/** "/roof-repair" for a landing page URL (path only; the whole text when it is no URL). */
export function pagePath(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname || "/";
  } catch {
    return url;
  }
}

function day(iso: string, timezone: string): string {
  const d = DateTime.fromISO(iso, { zone: timezone });
  return d.isValid ? d.toFormat("LLL d") : "";
}

export interface DescribeOptions {
  timezone: string;
  /** When the lead arrived (the conversion). */
  receivedAt: Date;
  /** For call leads: the campaign the number belongs to. */
  campaignName?: string;
}

/** The parts of the sentence, in order; `describeAttribution` joins them with " · ". */
export function attributionParts(a: LeadAttribution, opts: DescribeOptions): string[] {
  if (a.callMatch === "expired") {
    return [`Campaign ${opts.campaignName ?? "of the number"} only: no visitor held this pool number when the call came in (the reservation had ended)`];
  }
  const parts = [sourceLabel(a)];
  if (a.utmCampaign) parts.push(`campaign ${a.utmCampaign}`);
  if (a.utmTerm) parts.push(`keyword '${a.utmTerm}'`);
  if (a.utmContent) parts.push(`ad ${a.utmContent}`);
  if (a.landingPage) parts.push(`landed on ${pagePath(a.landingPage)}`);
  const firstAt = a.firstTouch?.at;
  const first = firstAt ? day(firstAt, opts.timezone) : "";
  const converted = day(opts.receivedAt.toISOString(), opts.timezone);
  if (first && first !== converted) parts.push(`first visit ${first}, ${a.callMatch === "session" ? "called" : "converted"} ${converted}`);
  else if (a.callMatch === "session") parts.push(`called ${converted} from the number shown on the page`);
  return parts;
}

export function describeAttribution(a: LeadAttribution, opts: DescribeOptions): string {
  return attributionParts(a, opts).join(" · ");
}
