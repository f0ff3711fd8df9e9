import { DateTime } from "luxon";
import { actorLabel, type Actor } from "../auth/roles";
import { canReach, requireAgency } from "../auth/scope";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { conversionFile, type ConversionPlatform } from "./conversion-files";
import { attributionSettingsInput, exportConversionsInput, type AttributionSettingsInput, type ExportConversionsInput } from "./inputs";
import type { ConversionStore } from "./ports";

/**
 * Won deals back to the ad platforms (docs/decisions/022-attribution.md): a lead marked won (portal,
 * CRM postback) waits in the export queue of each platform its click ids belong to; a file takes
 * every waiting one whose won date is in the range, and records it as exported, so the next file
 * does not repeat it. Asked again (`again`), the file includes earlier ones and says how many.
 */

export interface ConversionDeps {
  store: ConversionStore;
  clock: { now(): Date };
}

export interface ConversionExport {
  filename: string;
  contentType: string;
  body: string;
  /** Conversions in the file. */
  count: number;
  /** Of those, exported to this platform before. */
  reexported: number;
  platform: ConversionPlatform;
}

const PLATFORM_FILE: Record<ConversionPlatform, string> = { google: "google-ads", microsoft: "microsoft-ads", csv: "won-leads" };

function dayStart(day: string, timezone: string): Date {
  const d = DateTime.fromISO(day, { zone: timezone }).startOf("day");
  if (!d.isValid) throw new DomainError("VALIDATION_FAILED", "The input is not valid.", { issues: [{ path: ["from"], message: "is not a real date" }] });
  return d.toJSDate();
}

export async function exportConversions(deps: ConversionDeps, actor: Actor, raw: ExportConversionsInput): Promise<ConversionExport> {
  requireAgency(actor, "Only agency staff export conversions.");
  const input = parseInput(exportConversionsInput, raw);
  const client = await deps.store.clientFileSettings(input.clientId);
  if (!client || !canReach(actor, input.clientId)) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  const start = dayStart(input.from, client.timezone);
  const end = DateTime.fromJSDate(dayStart(input.to, client.timezone), { zone: client.timezone }).plus({ days: 1 }).toJSDate();
  const rows = await deps.store.exportWon({ clientId: input.clientId, platform: input.platform, start, end, again: input.again, actor: actorLabel(actor), now: deps.clock.now() });
  const conversionName = input.platform === "microsoft" ? client.microsoftConversionName : client.googleConversionName;
  const body = conversionFile(input.platform, rows, { timezone: client.timezone, currency: client.currency, conversionName });
  return {
    filename: `${PLATFORM_FILE[input.platform]}-conversions-${input.from}-${input.to}.csv`,
    contentType: "text/csv; charset=utf-8",
    body,
    count: rows.length,
    reexported: rows.filter((r) => r.exportedBefore).length,
    platform: input.platform,
  };
}

export async function getAttributionSettings(deps: ConversionDeps, actor: Actor, clientId: string) {
  requireAgency(actor, "Only agency staff manage attribution settings.");
  const s = await deps.store.clientFileSettings(clientId);
  if (!s) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  return { clientId, googleConversionName: s.googleConversionName, microsoftConversionName: s.microsoftConversionName, cookieDays: s.cookieDays };
}

export async function updateAttributionSettings(deps: ConversionDeps, actor: Actor, raw: AttributionSettingsInput) {
  requireAgency(actor, "Only agency staff manage attribution settings.");
  const input = parseInput(attributionSettingsInput, raw);
  if (!(await deps.store.clientFileSettings(input.clientId))) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  await deps.store.saveSettings(input.clientId, input);
  return getAttributionSettings(deps, actor, input.clientId);
}
