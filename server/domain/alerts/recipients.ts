import type { Actor } from "../auth/roles";
import { DomainError } from "../errors";
import { normalizePhone } from "../leads/normalize";
import { parseInput } from "../shared/parse";
import {
  alertSettingsInput,
  createRecipientInput,
  listRecipientsInput,
  removeRecipientInput,
  updateAlertSettingsInput,
  updateRecipientInput,
  type AlertSettingsInput,
  type CreateRecipientInput,
  type ListRecipientsInput,
  type UpdateAlertSettingsInput,
  type UpdateRecipientInput,
} from "./inputs";
import type { AlertRecipientRecord, AlertSettingsRecord, RecipientDeps, RecipientRepository } from "./ports";
import { describeActiveHours } from "./routing";
import { ALERT_PLACEHOLDERS, DEFAULT_ALERT_TEMPLATE, MAX_ALERT_LENGTH, SAMPLE_ALERT_LEAD, SAMPLE_LINK_TOKEN, renderAlert, validateAlertTemplate, worstCaseLength, type AlertLeadValues } from "./template";
import { canReach, requireClientAdminOrAgency, requiredClientScope } from "../auth/scope";

/**
 * Alert recipients (the client's sales reps) and the client's alert settings.
 * Who may do what: agency staff — any client (clientId in the input); client admins — their own
 * client; client members — read only. A recipient of another client is NOT_FOUND.
 */

export interface RecipientView extends AlertRecipientRecord {
  optedOut: boolean;
  activeHoursText: string;
}

export interface AlertSettingsView {
  clientId: string;
  routing: "everyone" | "round_robin";
  /** The stored template, null when the default is used. */
  template: string | null;
  effectiveTemplate: string;
  defaultTemplate: string;
  placeholders: readonly string[];
  maxLength: number;
  /** Longest text the effective template can produce. */
  worstCaseLength: number;
  /** The effective template rendered for a sample lead. */
  preview: string;
  /** That sample lead, with the client's own campaign and ZIP (so the preview reads like its trade). */
  sampleLead: AlertLeadValues;
}

function view(r: AlertRecipientRecord): RecipientView {
  return { ...r, optedOut: r.optedOutAt !== null, activeHoursText: describeActiveHours(r.activeHours) };
}

function assertCanManage(actor: Actor): void {
  requireClientAdminOrAgency(actor, "Only a client admin or agency staff can change alert recipients.");
}

async function settingsOf(repo: RecipientRepository, clientId: string): Promise<AlertSettingsRecord> {
  const s = await repo.clientSettings(clientId);
  if (!s) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  return s;
}

/** A recipient the actor may see; another client's is NOT_FOUND. */
async function visibleRecipient(repo: RecipientRepository, actor: Actor, id: string): Promise<AlertRecipientRecord> {
  const r = await repo.findById(id);
  if (!r || !canReach(actor, r.clientId)) throw new DomainError("NOT_FOUND", "Alert recipient not found.");
  return r;
}

function e164(raw: string, country: string): string {
  const { phone, valid } = normalizePhone(raw, country);
  if (!valid || !phone) {
    throw new DomainError("VALIDATION_FAILED", "The phone number is not valid.", {
      issues: [{ path: ["phone"], message: `is not a valid phone number (numbers without a country code are read as ${country})` }],
    });
  }
  return phone;
}

function phoneTaken(phone: string): DomainError {
  return new DomainError("CONFLICT", `A recipient with phone ${phone} already exists for this client (it may be switched off).`, {
    issues: [{ path: ["phone"], message: "is already a recipient of this client" }],
  });
}

export async function listRecipients(deps: Pick<RecipientDeps, "recipients">, actor: Actor, raw: ListRecipientsInput): Promise<RecipientView[]> {
  const input = parseInput(listRecipientsInput, raw);
  const clientId = requiredClientScope(actor, input.clientId);
  await settingsOf(deps.recipients, clientId);
  return (await deps.recipients.list(clientId)).map(view);
}

export async function createRecipient(deps: RecipientDeps, actor: Actor, raw: CreateRecipientInput): Promise<RecipientView> {
  const input = parseInput(createRecipientInput, raw);
  assertCanManage(actor);
  const clientId = requiredClientScope(actor, input.clientId);
  return deps.transaction(async (tx) => {
    const settings = await settingsOf(tx.recipients, clientId);
    const phone = e164(input.phone, settings.phoneCountry);
    const created = await tx.recipients.insert({ clientId, name: input.name, phone, active: input.active, activeHours: input.activeHours });
    if (!created) throw phoneTaken(phone);
    await tx.audit.record(actor, { clientId, action: "alert_recipient.created", entityType: "alert_recipient", entityId: created.id, after: created });
    return view(created);
  });
}

export async function updateRecipient(deps: RecipientDeps, actor: Actor, raw: UpdateRecipientInput): Promise<RecipientView> {
  const { id, ...patch } = parseInput(updateRecipientInput, raw);
  assertCanManage(actor);
  return deps.transaction(async (tx) => {
    const before = await visibleRecipient(tx.recipients, actor, id);
    const settings = await settingsOf(tx.recipients, before.clientId);
    const phone = patch.phone !== undefined ? e164(patch.phone, settings.phoneCountry) : undefined;
    const after = await tx.recipients.update(id, { ...patch, ...(phone !== undefined ? { phone } : {}) });
    if (after === "phone_taken") throw phoneTaken(phone!);
    if (!after) throw new DomainError("NOT_FOUND", "Alert recipient not found.");
    await tx.audit.record(actor, { clientId: before.clientId, action: "alert_recipient.updated", entityType: "alert_recipient", entityId: id, before, after });
    return view(after);
  });
}

/**
 * Deletes a recipient that never had an alert. One with alert history is kept as evidence (its
 * alerts reference it) and switched off instead; the answer says which happened.
 */
export async function removeRecipient(deps: RecipientDeps, actor: Actor, raw: { id: string }): Promise<{ id: string; removed: boolean; deactivated: boolean; message: string }> {
  const { id } = parseInput(removeRecipientInput, raw);
  assertCanManage(actor);
  return deps.transaction(async (tx) => {
    const before = await visibleRecipient(tx.recipients, actor, id);
    const alerts = await tx.recipients.countAlerts(id);
    if (alerts === 0) {
      await tx.recipients.delete(id);
      await tx.audit.record(actor, { clientId: before.clientId, action: "alert_recipient.removed", entityType: "alert_recipient", entityId: id, before });
      return { id, removed: true, deactivated: false, message: `${before.name} was removed.` };
    }
    const after = before.active ? await tx.recipients.update(id, { active: false }) : before;
    await tx.audit.record(actor, { clientId: before.clientId, action: "alert_recipient.deactivated", entityType: "alert_recipient", entityId: id, before, after });
    return {
      id,
      removed: false,
      deactivated: true,
      message: `${before.name} has ${alerts} alert${alerts === 1 ? "" : "s"} on record, kept as evidence; switched off instead, so no further alerts are sent.`,
    };
  });
}

function settingsView(s: AlertSettingsRecord, publicUrl: string, own: { campaign: string | null; zip: string | null }): AlertSettingsView {
  // The preview's sample lead; campaign and ZIP are the client's own when it has them.
  const sampleLead = { ...SAMPLE_ALERT_LEAD, campaign: own.campaign ?? SAMPLE_ALERT_LEAD.campaign, zip: own.zip ?? SAMPLE_ALERT_LEAD.zip };
  const effectiveTemplate = s.template ?? DEFAULT_ALERT_TEMPLATE;
  return {
    clientId: s.clientId,
    routing: s.routing,
    template: s.template,
    effectiveTemplate,
    defaultTemplate: DEFAULT_ALERT_TEMPLATE,
    placeholders: ALERT_PLACEHOLDERS,
    maxLength: MAX_ALERT_LENGTH,
    worstCaseLength: worstCaseLength(effectiveTemplate, publicUrl),
    preview: renderAlert(s.template, sampleLead, publicUrl, SAMPLE_LINK_TOKEN),
    sampleLead,
  };
}

export async function getAlertSettings(deps: Pick<RecipientDeps, "recipients" | "publicUrl">, actor: Actor, raw: AlertSettingsInput): Promise<AlertSettingsView> {
  const input = parseInput(alertSettingsInput, raw);
  const clientId = requiredClientScope(actor, input.clientId);
  return settingsView(await settingsOf(deps.recipients, clientId), deps.publicUrl, await deps.recipients.sampleLeadOf(clientId));
}

export async function updateAlertSettings(deps: RecipientDeps, actor: Actor, raw: UpdateAlertSettingsInput): Promise<AlertSettingsView> {
  const input = parseInput(updateAlertSettingsInput, raw);
  assertCanManage(actor);
  const clientId = requiredClientScope(actor, input.clientId);
  const template = input.template === undefined ? undefined : input.template === null || input.template.trim() === "" ? null : input.template.trim();
  if (template) {
    const issues = validateAlertTemplate(template, deps.publicUrl);
    if (issues.length) throw new DomainError("VALIDATION_FAILED", "The alert template is not valid.", { issues });
  }
  return deps.transaction(async (tx) => {
    const before = await settingsOf(tx.recipients, clientId);
    const after = await tx.recipients.updateClientSettings(clientId, {
      ...(input.routing !== undefined ? { routing: input.routing } : {}),
      ...(template !== undefined ? { template } : {}),
    });
    if (!after) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
    await tx.audit.record(actor, {
      clientId,
      action: "alert_settings.updated",
      entityType: "client",
      entityId: clientId,
      before: { routing: before.routing, template: before.template },
      after: { routing: after.routing, template: after.template },
    });
    return settingsView(after, deps.publicUrl, await tx.recipients.sampleLeadOf(clientId));
  });
}
