import { WEEKDAYS, qualificationSchema, type Weekday } from "../contracts/contract-document";
import { localWeekdayAndMinute } from "../shared/local-time";
import { optedOutReason } from "./status";
import { renderAlert, type AlertLeadValues } from "./template";

/**
 * Who gets a lead's alert (docs/architecture.md flow 5). Pure: recipients, the client's settings and the
 * instant in, the alert rows to create out.
 *
 * - A recipient switched off (`active = false`) gets nothing and no row.
 * - An opted-out recipient (texted STOP) gets a `skipped` row saying so.
 * - A recipient outside their active hours (client's time zone) gets a `skipped` row saying so.
 * - Among those on duty: `everyone` → all of them; `round_robin` → one, the cursor-th of the
 *   on-duty list (ordered by creation, then id), and the cursor moves on by one.
 */

/** Same shape as the contract's businessHours: { mon: [["08:00","18:00"]], … }; missing day = off. */
export const activeHoursSchema = qualificationSchema.shape.businessHours.unwrap();
export type ActiveHours = Partial<Record<Weekday, [string, string][]>>;

export type AlertRouting = "everyone" | "round_robin";

export interface RoutingRecipient {
  id: string;
  name: string;
  phone: string;
  active: boolean;
  /** null = always on duty. */
  activeHours: ActiveHours | null;
  optedOutAt: Date | null;
  createdAt: Date;
}

export interface RoutingClient {
  timezone: string;
  routing: AlertRouting;
  template: string | null;
  roundRobinCursor: number;
}

export interface PlannedAlert {
  recipientId: string;
  toPhone: string;
  /** The text, with this alert's own rep link ({link}). */
  body: string;
  /** The token of the rep link in `body` (decision 024); stored hashed, and only for pending alerts. */
  linkToken: string;
  status: "pending" | "skipped";
  /** Why it was skipped (shown in the console), null for pending ones. */
  errorMessage: string | null;
}

export interface AlertPlan {
  alerts: PlannedAlert[];
  /** The round-robin cursor to store, or null when it does not change. */
  nextCursor: number | null;
}

const DAY_LABEL: Readonly<Record<Weekday, string>> = { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" };

const toMinutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/**
 * On duty at `at` (client's time zone)? Ranges are [start, end) in local wall-clock time, so a
 * shift keeps its local hours across DST changes; "24:00" ends at midnight. An overnight shift is
 * two ranges: mon [["18:00","24:00"]] and tue [["00:00","08:00"]].
 */
export function isOnDuty(activeHours: ActiveHours | null, at: Date, timezone: string): boolean {
  if (!activeHours) return true;
  const { weekday, minute } = localWeekdayAndMinute(at.getTime(), timezone);
  return (activeHours[weekday] ?? []).some(([s, e]) => minute >= toMinutes(s) && minute < toMinutes(e));
}

/** "Mon–Fri 08:00–18:00, Sat 09:00–12:00" */
export function describeActiveHours(activeHours: ActiveHours | null): string {
  if (!activeHours) return "always";
  const groups: { days: Weekday[]; key: string }[] = [];
  for (const d of WEEKDAYS) {
    const key = (activeHours[d] ?? []).map(([s, e]) => `${s}–${e}`).join(", ");
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.days.push(d);
    else groups.push({ days: [d], key });
  }
  const parts = groups
    .filter((g) => g.key)
    .map((g) => {
      const span = g.days.length === 1 ? DAY_LABEL[g.days[0]!] : `${DAY_LABEL[g.days[0]!]}–${DAY_LABEL[g.days[g.days.length - 1]!]}`;
      return `${span} ${g.key}`;
    });
  return parts.length ? parts.join(", ") : "never";
}

function localLabel(at: Date, timezone: string): string {
  const { weekday, minute } = localWeekdayAndMinute(at.getTime(), timezone);
  return `${DAY_LABEL[weekday]} ${hhmm(minute)} ${timezone}`;
}

/** The stable order round robin walks through: oldest recipient first, id as tie-break. */
function byCreation(a: RoutingRecipient, b: RoutingRecipient): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function planAlerts(input: {
  lead: AlertLeadValues;
  client: RoutingClient;
  recipients: readonly RoutingRecipient[];
  at: Date;
  publicUrl: string;
  /** A new unguessable rep link token (one per alert). */
  newLinkToken: () => string;
}): AlertPlan {
  const { client, at } = input;
  const text = () => {
    const linkToken = input.newLinkToken();
    return { linkToken, body: renderAlert(client.template, input.lead, input.publicUrl, linkToken) };
  };
  const alerts: PlannedAlert[] = [];
  const onDuty: RoutingRecipient[] = [];
  for (const r of [...input.recipients].sort(byCreation)) {
    if (!r.active) continue;
    if (r.optedOutAt) {
      alerts.push({ recipientId: r.id, toPhone: r.phone, ...text(), status: "skipped", errorMessage: optedOutReason(r.optedOutAt) });
    } else if (!isOnDuty(r.activeHours, at, client.timezone)) {
      alerts.push({
        recipientId: r.id,
        toPhone: r.phone,
        ...text(),
        status: "skipped",
        errorMessage: `off duty: ${localLabel(at, client.timezone)} is outside active hours (${describeActiveHours(r.activeHours)})`,
      });
    } else onDuty.push(r);
  }
  let nextCursor: number | null = null;
  let chosen = onDuty;
  if (client.routing === "round_robin" && onDuty.length > 0) {
    const cursor = Math.max(0, client.roundRobinCursor);
    chosen = [onDuty[cursor % onDuty.length]!];
    nextCursor = (cursor + 1) % 1_000_000_000; // stays an int4
  }
  for (const r of chosen) alerts.push({ recipientId: r.id, toPhone: r.phone, ...text(), status: "pending", errorMessage: null });
  return { alerts, nextCursor };
}
