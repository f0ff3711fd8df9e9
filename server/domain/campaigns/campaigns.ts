import type { AuditLog } from "../audit/audit";
import type { Actor } from "../auth/roles";
import type { ClientRepository } from "../clients/clients";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { createCampaignInput, listCampaignsInput, updateCampaignInput, type CreateCampaignInput, type ListCampaignsInput, type UpdateCampaignInput } from "./inputs";
import { canReach, requireAgency, requiredClientScope } from "../auth/scope";

export interface CampaignRecord {
  id: string;
  clientId: string;
  name: string;
  channel: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  /** Every client has exactly one default campaign: API leads without a campaign land there. */
  isDefault: boolean;
  status: "active" | "paused" | "archived";
  createdAt: Date;
}

export type CampaignPatch = Partial<Pick<CampaignRecord, "name" | "channel" | "utmSource" | "utmMedium" | "utmCampaign" | "status">>;

export interface CampaignRepository {
  insert(c: Omit<CampaignRecord, "id" | "createdAt" | "isDefault">): Promise<CampaignRecord>;
  findById(id: string): Promise<CampaignRecord | null>;
  listByClient(clientId: string, opts: { includeArchived: boolean }): Promise<CampaignRecord[]>;
  update(id: string, patch: CampaignPatch): Promise<CampaignRecord | null>;
}

export interface CampaignTxDeps {
  campaigns: CampaignRepository;
  clients: Pick<ClientRepository, "findById">;
  audit: AuditLog;
}

export interface CampaignDeps extends CampaignTxDeps {
  transaction<T>(fn: (deps: CampaignTxDeps) => Promise<T>): Promise<T>;
}

/** A campaign the actor may see: client users only their own client's; anything else is NOT_FOUND. */
export async function getCampaign(deps: Pick<CampaignDeps, "campaigns">, actor: Actor, id: string): Promise<CampaignRecord> {
  const campaign = await deps.campaigns.findById(id);
  if (!campaign || !canReach(actor, campaign.clientId)) throw new DomainError("NOT_FOUND", "Campaign not found.");
  return campaign;
}

export async function listCampaigns(deps: Pick<CampaignDeps, "campaigns" | "clients">, actor: Actor, raw: ListCampaignsInput): Promise<CampaignRecord[]> {
  const input = parseInput(listCampaignsInput, raw);
  const clientId = requiredClientScope(actor, input.clientId);
  if (!(await deps.clients.findById(clientId))) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  return deps.campaigns.listByClient(clientId, { includeArchived: input.includeArchived });
}

export async function createCampaign(deps: CampaignDeps, actor: Actor, raw: CreateCampaignInput): Promise<CampaignRecord> {
  requireAgency(actor, "Only agency staff can create campaigns.");
  const input = parseInput(createCampaignInput, raw);
  return deps.transaction(async (tx) => {
    if (!(await tx.clients.findById(input.clientId))) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
    const campaign = await tx.campaigns.insert({
      clientId: input.clientId,
      name: input.name,
      channel: input.channel ?? null,
      utmSource: input.utmSource ?? null,
      utmMedium: input.utmMedium ?? null,
      utmCampaign: input.utmCampaign ?? null,
      status: input.status,
    });
    await tx.audit.record(actor, { clientId: campaign.clientId, action: "campaign.created", entityType: "campaign", entityId: campaign.id, after: campaign });
    return campaign;
  });
}

export async function updateCampaign(deps: CampaignDeps, actor: Actor, raw: UpdateCampaignInput): Promise<CampaignRecord> {
  requireAgency(actor, "Only agency staff can change campaigns.");
  const { id, ...rest } = parseInput(updateCampaignInput, raw);
  const patch = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as CampaignPatch;
  return deps.transaction(async (tx) => {
    const before = await tx.campaigns.findById(id);
    if (!before) throw new DomainError("NOT_FOUND", "Campaign not found.");
    if (before.isDefault && patch.status === "archived") {
      throw new DomainError("CONFLICT", "The default campaign cannot be archived: leads without a campaign are filed under it.", {
        issues: [{ path: ["status"], message: "the default campaign cannot be archived" }],
      });
    }
    if (Object.keys(patch).length === 0) return before;
    const after = await tx.campaigns.update(id, patch);
    if (!after) throw new DomainError("NOT_FOUND", "Campaign not found.");
    await tx.audit.record(actor, { clientId: after.clientId, action: "campaign.updated", entityType: "campaign", entityId: id, before, after });
    return after;
  });
}
