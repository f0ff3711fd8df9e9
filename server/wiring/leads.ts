import { randomUUID } from "node:crypto";
import { disputeStore, evidenceFiles } from "../db/repositories/disputes";
import { intakeStore } from "../db/repositories/intake";
import { intakeSources } from "../db/repositories/intake-sources";
import { leadPurgeRepository, leadReadRepository } from "../db/repositories/leads";
import type { Actor } from "../domain/auth/roles";
import { disputeUseCases } from "../domain/disputes/use-cases";
import { purgeTestLeads } from "../domain/leads/purge-test-leads";
import { explainLead, getLead, listLeads, type ListLeadsInput } from "../domain/leads/read-leads";
import { submitLead, type SubmitLeadInput } from "../domain/leads/submit-lead";
import type { Wiring } from "./context";
import { exportLeadsCsv, type ExportLeadsInput } from "../domain/leads/export-leads";
import { phoneLookupCache, purgeVelocityBuckets } from "../db/repositories/signals";
import type { SignalDeps } from "../domain/signals/gather";
import { geoIpLocator } from "../integrations/geo/ip-locator";
import { checkEmail } from "../domain/signals/email";
import { trustedFormVerifier } from "../integrations/trustedform/claim";
import { twilioPhoneLookup } from "../integrations/twilio/lookup";

/** Intake (forms, API, calls go through `submit`), the lead reads, disputes. */
export function leadUseCases({ config, db, clock, twilio }: Wiring) {
  const sources = intakeSources(db);
  // Intake checks (docs/decisions/021-intake-signals.md): Twilio Lookup (the local fake without
  // credentials), the e-mail lists, geoip-lite's data, TrustedForm claims when a key is set.
  const signalDeps: SignalDeps | undefined = config.INTAKE_SIGNALS
    ? {
        // Like numbers' voice URLs: without credentials only a running local fake answers lookups.
        phoneLookup: twilio.mode === "not-configured" || (twilio.fake && !twilio.apiBase) ? null : twilioPhoneLookup(() => twilio.client),
        cache: phoneLookupCache(db),
        ipLocator: geoIpLocator,
        consent: config.TRUSTEDFORM_API_KEY ? trustedFormVerifier({ apiKey: config.TRUSTEDFORM_API_KEY, apiBase: config.TRUSTEDFORM_API_BASE }) : null,
        clock,
        budgetMs: config.SIGNALS_TIMEOUT_MS,
        cacheDays: config.PHONE_LOOKUP_CACHE_DAYS,
      }
    : undefined;

  return {
    intake: {
      /** Loads the e-mail lists and the IP data and builds the Twilio client now, so the first lead does not pay for it. */
      warmUp: () => {
        if (!signalDeps) return;
        checkEmail("warm-up@example.com");
        geoIpLocator.locate("8.8.8.8");
        if (signalDeps.phoneLookup) void twilio.client;
      },
      submit: (input: SubmitLeadInput) => submitLead({ store: intakeStore(db), clock, newId: randomUUID, signals: signalDeps }, input),
      /** The form a public (or test) key posts to, with its client, or null. */
      findForm: (publicKey: string) => sources.findForm(publicKey),
    },
    leads: {
      list: (actor: Actor, input: ListLeadsInput) => listLeads(leadReadRepository(db), actor, input),
      get: (actor: Actor, id: string) => getLead(leadReadRepository(db), actor, id),
      explain: (actor: Actor, id: string) => explainLead(leadReadRepository(db), actor, id),
      /** The inbox's filtered leads as CSV. */
      csv: (actor: Actor, input: ExportLeadsInput) => exportLeadsCsv(leadReadRepository(db), actor, input, clock.now()),
      /** The purge job: deletes test leads older than 7 days. */
      purgeTestLeads: () => purgeTestLeads({ repo: leadPurgeRepository(db), clock }),
      /** The hourly housekeeping of velocity counters (decision 021): buckets no window reaches. */
      purgeVelocityBuckets: () => purgeVelocityBuckets(db, clock.now()),
    },
    disputes: disputeUseCases({ store: disputeStore(db), leads: leadReadRepository(db), files: evidenceFiles(config.DATA_DIR), clock }),
  };
}
