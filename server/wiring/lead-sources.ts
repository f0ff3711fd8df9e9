import { auditLog } from "../db/repositories/audit";
import { apiKeyRepository } from "../db/repositories/api-keys";
import { campaignRepository } from "../db/repositories/campaigns";
import { clientRepository } from "../db/repositories/clients";
import { contractRepository, findVersionById, findVersionInForce } from "../db/repositories/contracts";
import { formRepository } from "../db/repositories/forms";
import { postingSpecRepository } from "../db/repositories/posting-specs";
import { API_KEY_PREFIXES, authenticateApiKey, createApiKey, listApiKeys, revokeApiKey, type ApiKeyDeps } from "../domain/api-keys/api-keys";
import type { CreateApiKeyInput, ListApiKeysInput } from "../domain/api-keys/inputs";
import type { Actor } from "../domain/auth/roles";
import { createCampaign, getCampaign, listCampaigns, updateCampaign, type CampaignDeps } from "../domain/campaigns/campaigns";
import type { CreateCampaignInput, ListCampaignsInput, UpdateCampaignInput } from "../domain/campaigns/inputs";
import type { PublishContractInput } from "../domain/contracts/inputs";
import type { ContractDeps } from "../domain/contracts/ports";
import { publishContract } from "../domain/contracts/publish-contract";
import { contractHistory, getContract } from "../domain/contracts/read-contracts";
import { createForm, disableForm, formEmbedSnippet, getForm, listForms, setFormTestKey, updateForm, type FormDeps } from "../domain/forms/forms";
import type { CreateFormInput, ListFormsInput, UpdateFormInput } from "../domain/forms/inputs";
import { getPostingSpec, publicPostingSpec, sharePostingSpec, type PostingSpecDeps, type SpecRef } from "../domain/posting-specs/posting-specs";
import { randomSecret, sha256Hex } from "../security/crypto";
import { withTransaction, type Wiring } from "./context";

/** Set-up of a client's lead sources: contracts, campaigns, forms, API keys, posting specs. */
export function leadSourceUseCases({ config, db, clock }: Wiring) {
  const contractVersions = (clientId: string) => contractRepository(db).listVersions(clientId);
  const contractsDeps: ContractDeps = {
    ...withTransaction(db, (conn) => ({ contracts: contractRepository(conn), clients: clientRepository(conn), audit: auditLog(conn) })),
    clock,
  };
  const campaignsDeps: CampaignDeps = withTransaction(db, (conn) => ({ campaigns: campaignRepository(conn), clients: clientRepository(conn), audit: auditLog(conn) }));
  const formsDeps: FormDeps = {
    ...withTransaction(db, (conn) => ({ forms: formRepository(conn), campaigns: campaignRepository(conn), clients: clientRepository(conn), audit: auditLog(conn) })),
    newPublicKey: () => randomSecret("pk_", 18),
    newTestKey: () => randomSecret("pk_test_", 18),
    publicUrl: config.publicUrl,
    contractVersions,
    clock,
  };
  const apiKeysDeps: ApiKeyDeps = {
    ...withTransaction(db, (conn) => ({ apiKeys: apiKeyRepository(conn), clients: clientRepository(conn), audit: auditLog(conn) })),
    secrets: { newKey: (mode) => randomSecret(API_KEY_PREFIXES[mode], 24), hash: sha256Hex },
    clock,
  };
  const postingSpecDeps: PostingSpecDeps = {
    repo: postingSpecRepository(db),
    contractVersions,
    clock,
    publicUrl: config.publicUrl,
    newToken: () => randomSecret("sp_", 24),
    audit: auditLog(db),
  };
  return {
    contracts: {
      publish: (actor: Actor, input: PublishContractInput) => publishContract(contractsDeps, actor, input),
      get: (actor: Actor, clientId: string, at?: Date) => getContract(contractsDeps, actor, clientId, at),
      history: (actor: Actor, clientId: string) => contractHistory(contractsDeps, actor, clientId),
      /** For intake and replay: the version judging a lead received at `at` (no actor check). */
      findVersionInForce: (clientId: string, at: Date) => findVersionInForce(db, clientId, at),
      findVersionById: (id: string) => findVersionById(db, id),
    },
    campaigns: {
      create: (actor: Actor, input: CreateCampaignInput) => createCampaign(campaignsDeps, actor, input),
      list: (actor: Actor, input: ListCampaignsInput) => listCampaigns(campaignsDeps, actor, input),
      get: (actor: Actor, id: string) => getCampaign(campaignsDeps, actor, id),
      update: (actor: Actor, input: UpdateCampaignInput) => updateCampaign(campaignsDeps, actor, input),
    },
    forms: {
      create: (actor: Actor, input: CreateFormInput) => createForm(formsDeps, actor, input),
      list: (actor: Actor, input: ListFormsInput) => listForms(formsDeps, actor, input),
      get: (actor: Actor, id: string) => getForm(formsDeps, actor, id),
      update: (actor: Actor, input: UpdateFormInput) => updateForm(formsDeps, actor, input),
      disable: (actor: Actor, id: string) => disableForm(formsDeps, actor, id),
      embedSnippet: (actor: Actor, id: string) => formEmbedSnippet(formsDeps, actor, id),
      setTestKey: (actor: Actor, input: { id: string; enabled: boolean }) => setFormTestKey(formsDeps, actor, input),
    },
    apiKeys: {
      create: (actor: Actor, input: CreateApiKeyInput) => createApiKey(apiKeysDeps, actor, input),
      list: (actor: Actor, input: ListApiKeysInput) => listApiKeys(apiKeysDeps, actor, input),
      revoke: (actor: Actor, id: string) => revokeApiKey(apiKeysDeps, actor, id),
      /** For intake and conversions: the key's id, client and mode, or null; touches lastUsedAt at most once a minute. */
      authenticateApiKey: (plainKey: string) => authenticateApiKey(apiKeysDeps, plainKey),
    },
    /** Posting specs per form and API key, and their public links (/spec/:token). */
    postingSpecs: {
      get: (actor: Actor, ref: SpecRef) => getPostingSpec(postingSpecDeps, actor, ref),
      share: (actor: Actor, input: SpecRef & { share: boolean }) => sharePostingSpec(postingSpecDeps, actor, input),
      public: (token: string) => publicPostingSpec(postingSpecDeps, token),
    },
  };
}
