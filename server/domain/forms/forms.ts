import type { AuditLog } from "../audit/audit";
import type { Actor } from "../auth/roles";
import type { CampaignRecord } from "../campaigns/campaigns";
import type { ClientRepository } from "../clients/clients";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import type { ContractVersion } from "../contracts/contract-document";
import type { Clock } from "../shared/clock";
import { contractFields, embedSnippet, snippetFieldNames } from "./embed-snippet";
import { createFormInput, honeypotProblems, listFormsInput, updateFormInput, type CreateFormInput, type ListFormsInput, type UpdateFormInput } from "./inputs";
import { canReach, clientScope, requireAgency } from "../auth/scope";

export interface FormRecord {
  id: string;
  clientId: string;
  campaignId: string;
  name: string;
  /** Safe to publish: it only lets people post leads to this form. */
  publicKey: string;
  /** Normalized origins (scheme://host[:port]); empty means any origin may post. */
  allowedOrigins: string[];
  thankYouUrl: string | null;
  fieldMapping: Record<string, string>;
  honeypotField: string;
  consentText: string | null;
  status: "active" | "disabled";
  /** The form's test key (`pk_test_…`), or null: posts to it are test leads (docs/decisions/012-test-mode.md). */
  testPublicKey: string | null;
  createdAt: Date;
}

export type FormPatch = Partial<Pick<FormRecord, "name" | "allowedOrigins" | "thankYouUrl" | "fieldMapping" | "honeypotField" | "consentText" | "status" | "testPublicKey">>;

export interface FormRepository {
  insert(f: Omit<FormRecord, "id" | "createdAt" | "status" | "testPublicKey">): Promise<FormRecord>;
  findById(id: string): Promise<FormRecord | null>;
  list(filter: { clientId: string; campaignId?: string; includeDisabled: boolean }): Promise<FormRecord[]>;
  update(id: string, patch: FormPatch): Promise<FormRecord | null>;
}

export interface FormTxDeps {
  forms: FormRepository;
  campaigns: { findById(id: string): Promise<CampaignRecord | null> };
  clients: Pick<ClientRepository, "findById">;
  audit: AuditLog;
}

export interface FormDeps extends FormTxDeps {
  /** The client's contract versions, newest first (the snippet asks for what the version in force tests). */
  contractVersions(clientId: string): Promise<ContractVersion[]>;
  clock: Clock;
  /** A new public key: "pk_" + 24 url-safe random characters. */
  newPublicKey(): string;
  /** A new test key: "pk_test_" + 24 url-safe random characters. */
  newTestKey(): string;
  /** The address people reach the server at (PUBLIC_URL), used in embed snippets. */
  publicUrl: string;
  transaction<T>(fn: (deps: FormTxDeps) => Promise<T>): Promise<T>;
}

/** A form the actor may see: client users only their own client's; anything else is FORM_NOT_FOUND. */
export async function getForm(deps: Pick<FormDeps, "forms">, actor: Actor, id: string): Promise<FormRecord> {
  const form = await deps.forms.findById(id);
  if (!form || !canReach(actor, form.clientId)) throw new DomainError("FORM_NOT_FOUND", "Form not found.");
  return form;
}

/** A client's forms, or one campaign's forms; client users only reach their own client. */
export async function listForms(deps: Pick<FormDeps, "forms" | "campaigns" | "clients">, actor: Actor, raw: ListFormsInput): Promise<FormRecord[]> {
  const input = parseInput(listFormsInput, raw);
  let clientId = clientScope(actor, input.clientId);
  if (input.campaignId) {
    const campaign = await deps.campaigns.findById(input.campaignId);
    const visible = campaign && canReach(actor, campaign.clientId) && (!clientId || campaign.clientId === clientId);
    if (!visible) throw new DomainError("NOT_FOUND", "Campaign not found.");
    clientId = campaign.clientId;
  }
  if (!clientId) {
    throw new DomainError("VALIDATION_FAILED", "Give a clientId or a campaignId.", { issues: [{ path: ["clientId"], message: "is required without campaignId" }] });
  }
  if (!(await deps.clients.findById(clientId))) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  return deps.forms.list({ clientId, campaignId: input.campaignId, includeDisabled: input.includeDisabled });
}

export async function createForm(deps: FormDeps, actor: Actor, raw: CreateFormInput): Promise<FormRecord> {
  requireAgency(actor, "Only agency staff can create forms.");
  const input = parseInput(createFormInput, raw);
  return deps.transaction(async (tx) => {
    const campaign = await tx.campaigns.findById(input.campaignId);
    if (!campaign) throw new DomainError("NOT_FOUND", "Campaign not found.", { issues: [{ path: ["campaignId"], message: "no such campaign" }] });
    if (campaign.status === "archived") {
      throw new DomainError("CONFLICT", "The campaign is archived; forms can only be added to an active or paused campaign.", {
        issues: [{ path: ["campaignId"], message: "is archived" }],
      });
    }
    const form = await tx.forms.insert({
      clientId: campaign.clientId,
      campaignId: campaign.id,
      name: input.name,
      publicKey: deps.newPublicKey(),
      allowedOrigins: input.allowedOrigins,
      thankYouUrl: input.thankYouUrl ?? null,
      fieldMapping: input.fieldMapping,
      honeypotField: input.honeypotField,
      consentText: input.consentText ?? null,
    });
    await tx.audit.record(actor, { clientId: form.clientId, action: "form.created", entityType: "form", entityId: form.id, after: form });
    return form;
  });
}

export async function updateForm(deps: FormDeps, actor: Actor, raw: UpdateFormInput): Promise<FormRecord> {
  requireAgency(actor, "Only agency staff can change forms.");
  const { id, ...rest } = parseInput(updateFormInput, raw);
  const patch = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as FormPatch;
  return deps.transaction(async (tx) => {
    const before = await tx.forms.findById(id);
    if (!before) throw new DomainError("FORM_NOT_FOUND", "Form not found.");
    const problems = honeypotProblems(patch.honeypotField ?? before.honeypotField, patch.fieldMapping ?? before.fieldMapping);
    if (problems.length > 0) {
      throw new DomainError("VALIDATION_FAILED", "The input is not valid.", { issues: problems.map((message) => ({ path: ["honeypotField"], message })) });
    }
    if (Object.keys(patch).length === 0) return before;
    const after = await tx.forms.update(id, patch);
    if (!after) throw new DomainError("FORM_NOT_FOUND", "Form not found.");
    await tx.audit.record(actor, { clientId: after.clientId, action: "form.updated", entityType: "form", entityId: id, before, after });
    return after;
  });
}

/** Stops a form accepting leads (its public key answers 404). Disabling a disabled form changes nothing. */
export async function disableForm(deps: FormDeps, actor: Actor, id: string): Promise<FormRecord> {
  requireAgency(actor, "Only agency staff can disable forms.");
  return deps.transaction(async (tx) => {
    const before = await tx.forms.findById(id);
    if (!before) throw new DomainError("FORM_NOT_FOUND", "Form not found.");
    if (before.status === "disabled") return before;
    const after = await tx.forms.update(id, { status: "disabled" });
    if (!after) throw new DomainError("FORM_NOT_FOUND", "Form not found.");
    await tx.audit.record(actor, { clientId: after.clientId, action: "form.disabled", entityType: "form", entityId: id, before, after });
    return after;
  });
}

/**
 * Gives a form a test key (a new one each time, so an old one stops working) or removes it. Posts
 * to the test key are judged like real ones but stored as test leads; the embedded public key never
 * makes a test lead, so visitors cannot turn a live form's leads into free ones.
 */
export async function setFormTestKey(deps: FormDeps, actor: Actor, input: { id: string; enabled: boolean }): Promise<FormRecord> {
  requireAgency(actor, "Only agency staff can change forms.");
  return deps.transaction(async (tx) => {
    const before = await tx.forms.findById(input.id);
    if (!before) throw new DomainError("FORM_NOT_FOUND", "Form not found.");
    if (!input.enabled && before.testPublicKey === null) return before;
    const after = await tx.forms.update(input.id, { testPublicKey: input.enabled ? deps.newTestKey() : null });
    if (!after) throw new DomainError("FORM_NOT_FOUND", "Form not found.");
    await tx.audit.record(actor, { clientId: after.clientId, action: input.enabled ? "form.test_key_created" : "form.test_key_removed", entityType: "form", entityId: after.id, before, after });
    return after;
  });
}

export interface EmbedSnippet {
  formId: string;
  publicKey: string;
  action: string;
  html: string;
  /** The contract version the snippet was generated from (null: the client has no contract in force). */
  contractVersion: number | null;
  /** The fields the contract asks for beyond the contact fields, labelled in words. */
  contractFields: { field: string; label: string }[];
  /**
   * Set when the version in force asks for fields the snippet of the version before did not have:
   * copies pasted before it was published send leads that are rejected until the snippet is replaced.
   */
  changed: { sinceVersion: number; effectiveFrom: Date; newFields: string[] } | null;
}

/** The copy-paste HTML for a form the actor may see, generated from the contract version in force. */
export async function formEmbedSnippet(deps: Pick<FormDeps, "forms" | "publicUrl" | "contractVersions" | "clock">, actor: Actor, id: string): Promise<EmbedSnippet> {
  const form = await getForm(deps, actor, id);
  const now = deps.clock.now().getTime();
  const versions = (await deps.contractVersions(form.clientId)).filter((v) => v.effectiveFrom.getTime() <= now);
  const [current, previous] = versions;
  const rules = current?.document.qualification ?? null;
  let changed: EmbedSnippet["changed"] = null;
  if (current && previous) {
    const had = new Set(snippetFieldNames(previous.document.qualification));
    const newFields = snippetFieldNames(rules).filter((f) => !had.has(f));
    if (newFields.length) changed = { sinceVersion: current.version, effectiveFrom: current.effectiveFrom, newFields };
  }
  return {
    formId: form.id,
    publicKey: form.publicKey,
    action: `${deps.publicUrl.replace(/\/+$/, "")}/api/forms/${form.publicKey}`,
    html: embedSnippet(form, deps.publicUrl, rules),
    contractVersion: current?.version ?? null,
    contractFields: contractFields(rules).map((f) => ({ field: f.field, label: f.label })),
    changed,
  };
}
