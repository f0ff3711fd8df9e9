import { attributionReportRepository, conversionStore, dniStore } from "../db/repositories/attribution";
import { campaignRepository } from "../db/repositories/campaigns";
import { createPool, listPools, reserveNumber, type DniDeps } from "../domain/attribution/dni";
import { exportConversions, getAttributionSettings, updateAttributionSettings, type ConversionDeps } from "../domain/attribution/export-conversions";
import type { AttributionReportInput, AttributionSettingsInput, CreatePoolInput, ExportConversionsInput } from "../domain/attribution/inputs";
import { attributionReport, attributionReportFile } from "../domain/attribution/report";
import { trackingScript } from "../domain/attribution/tracking-script";
import type { Actor } from "../domain/auth/roles";
import { randomSecret } from "../security/crypto";
import type { Wiring } from "./context";

/** Where leads come from: the snippet, number pools (DNI), conversion files for the ad platforms, reports by source (decision 022). */
export function attributionUseCases({ db, clock }: Wiring) {
  const dniDeps: DniDeps = { store: dniStore(db), clock, newPoolKey: () => randomSecret("dp_", 12) };
  const conversionDeps: ConversionDeps = { store: conversionStore(db), clock };
  const snippetJs = trackingScript();
  return {
    attribution: {
      script: () => snippetJs,
      reserveNumber: (poolKey: string, body: unknown) => reserveNumber(dniDeps, poolKey, body),
      listPools: (actor: Actor, input: { clientId?: string }) => listPools(dniDeps, actor, input),
      createPool: (actor: Actor, input: CreatePoolInput) => createPool(dniDeps, actor, input, async (campaignId) => (await campaignRepository(db).findById(campaignId))?.clientId ?? null),
      exportConversions: (actor: Actor, input: ExportConversionsInput) => exportConversions(conversionDeps, actor, input),
      settings: (actor: Actor, clientId: string) => getAttributionSettings(conversionDeps, actor, clientId),
      updateSettings: (actor: Actor, input: AttributionSettingsInput) => updateAttributionSettings(conversionDeps, actor, input),
      report: (actor: Actor, input: AttributionReportInput) => attributionReport({ repo: attributionReportRepository(db) }, actor, input),
      reportCsv: (actor: Actor, input: AttributionReportInput) => attributionReportFile({ repo: attributionReportRepository(db) }, actor, input),
    },
  };
}
