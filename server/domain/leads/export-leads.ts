import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Actor } from "../auth/roles";
import { clientScope } from "../auth/scope";
import { DomainError } from "../errors";
import { safeText } from "../shared/csv";
import { parseInput } from "../shared/parse";
import { listLeadsInput, type LeadReadRepository, type LeadSummary } from "./read-leads";

/** The inbox's filters without its page position. */
export const exportLeadsInput = listLeadsInput.omit({ cursor: true, limit: true });
export type ExportLeadsInput = z.input<typeof exportLeadsInput>;

/** The most rows one export writes; narrow the filters for more. */
export const MAX_EXPORT_ROWS = 50_000;
const PAGE = 1000;

const localFormats = new Map<string, Intl.DateTimeFormat>();
/** "2026-12-01 07:40" in the zone (what a spreadsheet reads as a date and time). */
function localDateTime(at: Date, timeZone: string): string {
  let f = localFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    localFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const HEADER = [
  "received_local",
  "time_zone",
  "received_utc",
  "client",
  "campaign",
  "source",
  "name",
  "phone",
  "email",
  "zip",
  "status",
  "reasons",
  "outcome",
  "charged_cents",
  "credited_cents",
  "net_cents",
  "dispute",
  "lead_id",
];

function row(l: LeadSummary): (string | number)[] {
  return [
    localDateTime(l.receivedAt, l.clientTimezone),
    l.clientTimezone,
    l.receivedAt.toISOString(),
    safeText(l.clientName),
    safeText(l.campaignName),
    l.source,
    safeText(l.name),
    l.phone ?? "",
    safeText(l.email),
    safeText(l.zip),
    l.status,
    safeText(l.reasons.map((r) => r.message).join("; ")),
    l.outcome ?? "",
    l.chargedCents,
    l.creditedCents,
    l.chargedCents - l.creditedCents,
    l.disputeStatus ?? "",
    l.id,
  ];
}

/**
 * `leads.csv`: every lead the inbox's filters match (newest first, the same scope rules as the
 * list: a client user only ever gets its own), one CSV line each, read page by page on the same
 * keyset as the inbox. At most MAX_EXPORT_ROWS lines.
 */
export async function exportLeadsCsv(repo: LeadReadRepository, actor: Actor, raw: ExportLeadsInput, now: Date): Promise<{ filename: string; csv: string; rows: number }> {
  const input = parseInput(exportLeadsInput, raw);
  const clientId = clientScope(actor, input.clientId);
  const records: (string | number)[][] = [HEADER];
  let after: { receivedAt: Date; id: string } | undefined;
  for (;;) {
    const page = await repo.list({ ...input, clientId, limit: PAGE, after });
    for (const l of page) records.push(row(l));
    if (records.length - 1 > MAX_EXPORT_ROWS) {
      throw new DomainError("VALIDATION_FAILED", `More than ${MAX_EXPORT_ROWS.toLocaleString("en-US")} leads match: narrow the dates or filters and export again.`);
    }
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) break;
    after = { receivedAt: last.receivedAt, id: last.id };
  }
  const day = now.toISOString().slice(0, 10);
  return { filename: `leads-${day}.csv`, csv: stringify(records, { record_delimiter: "\r\n" }), rows: records.length - 1 };
}
