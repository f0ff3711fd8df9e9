import type { Weekday } from "../contracts/contract-document";
import { DomainError } from "../errors";

/**
 * Local time in an IANA time zone, fast: a cached Intl.DateTimeFormat per zone gives the UTC offset,
 * and offsets are cached per 15-minute UTC bucket (all zone transitions in use fall on such
 * boundaries; a bucket is cached only when both of its ends agree, so a transition inside it is
 * never missed). Used by the rule engine (business hours) and alert routing (reps' active hours).
 * Kept instead of luxon because the rule engine evaluates it per lead (the rule-engine bench).
 */

const DAY_MS = 86_400_000;
const JS_DAY_TO_WEEKDAY: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const BUCKET_MS = 15 * 60_000;
const MAX_BUCKETS_PER_ZONE = 20_000;
const MAX_DATE_MS = 8.64e15;

class ZoneOffsets {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly buckets = new Map<number, number>();

  constructor(readonly timezone: string) {
    this.fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  }

  /** Offset from UTC in whole minutes at the instant `ms` (e.g. -300 for New York in winter). */
  offsetMinutes(ms: number): number {
    const bucket = Math.floor(ms / BUCKET_MS);
    const cached = this.buckets.get(bucket);
    if (cached !== undefined) return cached;
    const start = bucket * BUCKET_MS;
    const a = this.exact(start);
    const b = this.exact(start + BUCKET_MS - 1);
    if (a !== b) return this.exact(ms);
    if (this.buckets.size >= MAX_BUCKETS_PER_ZONE) this.buckets.clear();
    this.buckets.set(bucket, a);
    return a;
  }

  private exact(instant: number): number {
    const ms = Math.min(Math.max(instant, -MAX_DATE_MS), MAX_DATE_MS); // Intl refuses instants outside the Date range
    let year = 1970;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const p of this.fmt.formatToParts(ms)) {
      switch (p.type) {
        case "year":
          year = Number(p.value);
          break;
        case "month":
          month = Number(p.value);
          break;
        case "day":
          day = Number(p.value);
          break;
        case "hour":
          hour = Number(p.value);
          break;
        case "minute":
          minute = Number(p.value);
          break;
        case "second":
          second = Number(p.value);
          break;
        case "era":
          bc = p.value.startsWith("B");
          break;
        default:
          break;
      }
    }
    const localAsUtc = daysFromCivil(bc ? 1 - year : year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
    const wholeSeconds = ms - (((ms % 1000) + 1000) % 1000);
    const offset = Math.round((localAsUtc - wholeSeconds) / 60_000);
    return Number.isFinite(offset) ? offset : 0;
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; any year, no Date range limit). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const zones = new Map<string, ZoneOffsets>();

function zoneOffsets(timezone: string): ZoneOffsets {
  let z = zones.get(timezone);
  if (z === undefined) {
    try {
      z = new ZoneOffsets(timezone);
    } catch {
      throw new DomainError("VALIDATION_FAILED", `Unknown time zone ${JSON.stringify(timezone)}`, {
        details: { timezone },
      });
    }
    zones.set(timezone, z);
  }
  return z;
}

/** Local weekday and minute of the day of an instant in an IANA time zone. */
export function localWeekdayAndMinute(ms: number, timezone: string): { weekday: Weekday; minute: number } {
  const local = ms + zoneOffsets(timezone).offsetMinutes(ms) * 60_000;
  const dayNumber = Math.floor(local / DAY_MS);
  const jsDay = (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return { weekday: JS_DAY_TO_WEEKDAY[jsDay]!, minute: Math.floor((local - dayNumber * DAY_MS) / 60_000) };
}
