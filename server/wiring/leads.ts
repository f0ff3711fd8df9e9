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

/** Intake (forms, API, calls go through `submit`), the lead reads, disputes. */
export function leadUseCases({ config, db, clock }: Wiring) {
  const sources = intakeSources(db);
  return {
    intake: {
      submit: (input: SubmitLeadInput) => submitLead({ store: intakeStore(db), clock, newId: randomUUID }, input),
      /** The form a public (or test) key posts to, with its client, or null. */
      findForm: (publicKey: string) => sources.findForm(publicKey),
    },
    leads: {
      list: (actor: Actor, input: ListLeadsInput) => listLeads(leadReadRepository(db), actor, input),
      get: (actor: Actor, id: string) => getLead(leadReadRepository(db), actor, id),
      explain: (actor: Actor, id: string) => explainLead(leadReadRepository(db), actor, id),
      /** The purge job: deletes test leads older than 7 days. */
      purgeTestLeads: () => purgeTestLeads({ repo: leadPurgeRepository(db), clock }),
    },
    disputes: disputeUseCases({ store: disputeStore(db), leads: leadReadRepository(db), files: evidenceFiles(config.DATA_DIR), clock }),
  };
}
