import type { Actor } from "../auth/roles";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import {
  createTrackingNumberInput,
  listTrackingNumbersInput,
  releaseTrackingNumberInput,
  updateTrackingNumberInput,
  type CreateTrackingNumberInput,
  type ListTrackingNumbersInput,
  type ReleaseTrackingNumberInput,
  type UpdateTrackingNumberInput,
} from "./inputs";
import type { TrackingNumberDeps, TrackingNumberRecord } from "./ports";
import { clientScope, requireAgency } from "../auth/scope";

/** A created number plus, when Twilio could not be configured, why (creation still succeeded). */
export interface CreatedTrackingNumber extends TrackingNumberRecord {
  warning: string | null;
}

const AGENCY_ONLY = "Only agency staff manage tracking numbers.";

const notFound = () => new DomainError("NOT_FOUND", "Tracking number not found.");

/**
 * Adds a tracking number to a campaign (its client follows from the campaign), then points the
 * Twilio number's voice webhook at this server. The row is committed first: a Twilio failure is
 * returned (and audited) as a warning, never a failed creation.
 */
export async function createTrackingNumber(deps: TrackingNumberDeps, actor: Actor, raw: CreateTrackingNumberInput): Promise<CreatedTrackingNumber> {
  requireAgency(actor, AGENCY_ONLY);
  const input = parseInput(createTrackingNumberInput, raw);
  const created = await deps.transaction(async (tx) => {
    const campaign = await tx.numbers.findCampaign(input.campaignId);
    if (!campaign || campaign.status === "archived") {
      throw new DomainError("NOT_FOUND", "Campaign not found.", { issues: [{ path: ["campaignId"], message: "is not an active campaign" }] });
    }
    const taken = () =>
      new DomainError("CONFLICT", `${input.phoneNumber} is already a tracking number.`, { issues: [{ path: ["phoneNumber"], message: "is already tracked" }] });
    const fields = {
      campaignId: campaign.id,
      forwardTo: input.forwardTo,
      record: input.record,
      disclosureText: input.disclosureText ?? null,
      whisperText: input.whisperText ?? null,
      screenCalls: input.screenCalls,
      fallbackNumber: input.fallbackNumber ?? null,
      voicemail: input.voicemail,
      textBack: input.textBack,
    };
    const existing = await tx.numbers.findByNumber(input.phoneNumber);
    let number: TrackingNumberRecord | null;
    if (existing) {
      // A released number keeps its row (its leads point at it); the same client may take it back.
      if (existing.status !== "released" || existing.clientId !== campaign.clientId) throw taken();
      number = await tx.numbers.update(existing.id, { ...fields, status: "active" });
    } else {
      number = await tx.numbers.insert({ ...fields, clientId: campaign.clientId, phoneNumber: input.phoneNumber });
    }
    if (!number) throw taken();
    await tx.audit.record(actor, {
      clientId: number.clientId,
      action: existing ? "tracking_number.reactivated" : "tracking_number.created",
      entityType: "tracking_number",
      entityId: number.id,
      before: existing,
      after: number,
    });
    return number;
  });

  const configured = await deps.voice.pointVoiceWebhook(created.phoneNumber);
  let number = created;
  if (configured.twilioSid) {
    number = (await deps.numbers.update(created.id, { twilioSid: configured.twilioSid })) ?? created;
    await deps.audit.record(actor, {
      clientId: created.clientId,
      action: "tracking_number.twilio_configured",
      entityType: "tracking_number",
      entityId: created.id,
      after: { twilioSid: configured.twilioSid, warning: configured.warning },
    });
  } else {
    await deps.audit.record(actor, {
      clientId: created.clientId,
      action: "tracking_number.twilio_not_configured",
      entityType: "tracking_number",
      entityId: created.id,
      after: { warning: configured.warning },
    });
  }
  return { ...number, warning: configured.warning };
}

export async function updateTrackingNumber(deps: TrackingNumberDeps, actor: Actor, raw: UpdateTrackingNumberInput): Promise<TrackingNumberRecord> {
  requireAgency(actor, AGENCY_ONLY);
  const { id, ...patch } = parseInput(updateTrackingNumberInput, raw);
  return deps.transaction(async (tx) => {
    const before = await tx.numbers.findById(id);
    if (!before) throw notFound();
    if (before.status === "released") throw new DomainError("INVALID_TRANSITION", "This tracking number was released; add it again to use it.");
    if (patch.campaignId && patch.campaignId !== before.campaignId) {
      const campaign = await tx.numbers.findCampaign(patch.campaignId);
      if (!campaign || campaign.clientId !== before.clientId || campaign.status === "archived") {
        throw new DomainError("VALIDATION_FAILED", "The input is not valid.", { issues: [{ path: ["campaignId"], message: "is not an active campaign of this number's client" }] });
      }
    }
    if (patch.forwardTo === before.phoneNumber) {
      throw new DomainError("VALIDATION_FAILED", "The input is not valid.", { issues: [{ path: ["forwardTo"], message: "must differ from the tracking number (a call would loop)" }] });
    }
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const after = await tx.numbers.update(id, clean);
    if (!after) throw notFound();
    await tx.audit.record(actor, { clientId: after.clientId, action: "tracking_number.updated", entityType: "tracking_number", entityId: id, before, after });
    return after;
  });
}

/** Stops tracking: calls to the number get the polite "not in service" answer. Releasing twice is a no-op. */
export async function releaseTrackingNumber(deps: TrackingNumberDeps, actor: Actor, raw: ReleaseTrackingNumberInput): Promise<TrackingNumberRecord> {
  requireAgency(actor, AGENCY_ONLY);
  const { id } = parseInput(releaseTrackingNumberInput, raw);
  return deps.transaction(async (tx) => {
    const before = await tx.numbers.findById(id);
    if (!before) throw notFound();
    if (before.status === "released") return before;
    const after = await tx.numbers.update(id, { status: "released" });
    if (!after) throw notFound();
    await tx.audit.record(actor, { clientId: after.clientId, action: "tracking_number.released", entityType: "tracking_number", entityId: id, before, after });
    return after;
  });
}

/** Agency: any client's numbers (optionally filtered); client users: their own client's only. */
export async function listTrackingNumbers(deps: Pick<TrackingNumberDeps, "numbers">, actor: Actor, raw: ListTrackingNumbersInput): Promise<TrackingNumberRecord[]> {
  const input = parseInput(listTrackingNumbersInput, raw);
  const clientId = clientScope(actor, input.clientId);
  return deps.numbers.list({ clientId, campaignId: input.campaignId, includeReleased: input.includeReleased });
}
