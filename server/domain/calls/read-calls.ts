import type { Actor } from "../auth/roles";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { whisperQuery } from "./inputs";
import type { CallReadRepository } from "./ports";
import { isUuid } from "../shared/formats";
import { canReach } from "../auth/scope";

/**
 * What the business hears when it picks up a forwarded call: the number's own whisper text, else
 * "LeadLedger call from <campaign name>", so they know the call came through the agency.
 */
export async function whisperText(repo: CallReadRepository, raw: { campaign?: unknown; number?: unknown }): Promise<string> {
  const q = parseInput(whisperQuery, { campaign: typeof raw.campaign === "string" ? raw.campaign : null, number: typeof raw.number === "string" ? raw.number : null });
  const campaignId = q.campaign && isUuid(q.campaign) ? q.campaign : null;
  if (q.number && isUuid(q.number)) {
    const n = await repo.trackingNumberWhisper(q.number);
    if (n?.whisperText && (!campaignId || n.campaignId === campaignId)) return n.whisperText;
  }
  const name = campaignId ? await repo.campaignName(campaignId) : null;
  return name ? `LeadLedger call from ${name}` : "LeadLedger call";
}

/**
 * The recording of a call lead, for the portal's player. Agency users reach any lead, client users
 * only their own client's; anything else is "not found", never "forbidden".
 */
export async function findRecording(repo: CallReadRepository, actor: Actor, leadId: string): Promise<{ leadId: string; recordingSid: string }> {
  const lead = isUuid(leadId) ? await repo.recordingOfLead(leadId) : null;
  if (!lead || !canReach(actor, lead.clientId)) throw new DomainError("LEAD_NOT_FOUND", "Lead not found.");
  if (!lead.recordingSid) throw new DomainError("NOT_FOUND", "This lead has no call recording.");
  return { leadId, recordingSid: lead.recordingSid };
}
