import { attributionFromSubmission, withoutAttributionFields } from "../attribution/attribution";
import { DomainError } from "../errors";
import type { Clock } from "../shared/clock";
import type { VerdictQuality, VerdictReason } from "../qualification/verdict";
import { completeSignals, gatherSignals, type SignalDeps } from "../signals/gather";
import { signalInputsOf } from "../signals/inputs";
import { contactLockKeys, judgeInTransaction, recordJudgement } from "./judge";
import { normalizeSubmission, storableJson } from "./normalize";
import { locate } from "./zip-places";
import type { ConsentRecord, IdempotentAnswer, IntakeStore, NewLead } from "./ports";

export interface LeadAnswer {
  leadId: string;
  status: "received" | "qualified" | "rejected";
  billable: boolean;
  reasons: VerdictReason[];
  /** Only on test leads (always true there): judged as usual, never billed, alerted or reported. */
  test?: true;
  /** The intake checks' score and reading (docs/decisions/021-intake-signals.md), when they ran. */
  quality?: Pick<VerdictQuality, "score" | "band" | "summary">;
}

export interface SubmitLeadDeps {
  store: IntakeStore;
  clock: Clock;
  newId(): string;
  /** The intake checks (phone, e-mail, IP, velocity, consent); without them leads are judged on their contact alone. */
  signals?: SignalDeps;
}

export interface SubmitLeadInput {
  client: { id: string; timezone: string; phoneCountry: string };
  source: "form" | "api";
  /** The form's campaign; for API posts null = the body's campaignId or the client's default campaign. */
  campaignId: string | null;
  formId?: string | null;
  apiKeyId?: string | null;
  payload: Record<string, unknown>;
  fieldMapping?: Record<string, string>;
  honeypotField?: string | null;
  /** Forms: where and how consent was given (text comes from the form or its configured consent text). */
  consent?: { text: string | null; ip: string | null; userAgent: string | null; pageUrl: string | null } | null;
  idempotency?: { scope: string; key: string; requestHash: string } | null;
  actor: string;
  /** Sent with a test API key or a form's test key (docs/decisions/012-test-mode.md). */
  isTest?: boolean;
}

/** HTTP-free result: the answer plus whether it is a replay of an earlier request. */
export interface SubmitLeadResult {
  answer: LeadAnswer;
  status: number;
  replayed: boolean;
}

/**
 * Intake for forms and vendor posts (docs/architecture.md flow 1): normalize → store → judge with the version
 * in force → charge when qualified → emit lead.qualified — one transaction, so a lead that got a 2xx
 * is committed with its verdict, its charge and its event, or not at all.
 */
export async function submitLead(deps: SubmitLeadDeps, rawInput: SubmitLeadInput): Promise<SubmitLeadResult> {
  // A NUL character cannot be stored in PostgreSQL text or jsonb; the lead is kept with U+FFFD in its place.
  const input = { ...rawInput, payload: storableJson(rawInput.payload) as Record<string, unknown> };
  // Where the lead came from is no lead field: the snippet's hidden field and the vendor's `attribution` object are read apart.
  const split = withoutAttributionFields(input.payload);
  const n = normalizeSubmission(split.rest, {
    fieldMapping: input.fieldMapping,
    honeypotField: input.honeypotField,
    phoneCountry: input.client.phoneCountry,
  });
  const receivedAt = deps.clock.now();
  const consent: ConsentRecord | null = input.consent
    ? {
        text: n.consentText ?? input.consent.text,
        at: receivedAt.toISOString(),
        ip: input.consent.ip,
        userAgent: input.consent.userAgent,
        pageUrl: n.pageUrl ?? input.consent.pageUrl,
      }
    : null;
  const attribution = attributionFromSubmission({ explicit: split.explicit, payload: split.rest, pageUrl: n.pageUrl ?? input.consent?.pageUrl ?? null, at: receivedAt });

  // The checks that call out (phone lookup, certificate claim) run before the transaction, bounded by
  // the signals' time budget: a slow or failing service makes its signal "unavailable", never a lost lead.
  const signalInputs = deps.signals ? signalInputsOf(input.payload, { source: input.source, requestIp: input.consent?.ip ?? null }) : null;
  const gathered =
    deps.signals && signalInputs
      ? await gatherSignals(deps.signals, { clientId: input.client.id, phone: n.contact.phone, rawPhone: n.contact.rawPhone, phoneValid: n.contact.phoneValid, email: n.contact.email, inputs: signalInputs })
      : null;

  return deps.store.transaction(async (tx) => {
    if (input.idempotency) {
      const claim = await tx.claimIdempotencyKey(input.idempotency.scope, input.idempotency.key, input.idempotency.requestHash);
      if (!claim.claimed) {
        if (claim.requestHash !== input.idempotency.requestHash) {
          throw new DomainError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request body.");
        }
        if (claim.answer) return { answer: claim.answer.body as LeadAnswer, status: claim.answer.status, replayed: true };
      }
    }

    // A form's campaign belongs to the form's client by construction; API posts may name one.
    const campaignId = input.source === "form" && input.campaignId ? input.campaignId : await tx.resolveCampaign(input.client.id, n.campaignId);
    if (!campaignId) {
      throw new DomainError("VALIDATION_FAILED", "Unknown campaign for this client.", { issues: [{ path: ["campaignId"], message: "is not a campaign of this client" }] });
    }

    const where = locate(n.contact);
    const lead: NewLead = {
      id: deps.newId(),
      clientId: input.client.id,
      campaignId,
      source: input.source,
      formId: input.formId ?? null,
      apiKeyId: input.apiKeyId ?? null,
      name: n.contact.name,
      phone: n.contact.phone,
      email: n.contact.email,
      zip: where.zip,
      state: where.state,
      city: where.city,
      fields: n.fields,
      rawPayload: input.payload,
      consent,
      receivedAt,
      isTest: input.isTest === true,
      attribution,
    };
    const version = await tx.lockContactsAndFindVersion(lead.clientId, contactLockKeys(lead.clientId, lead), receivedAt);
    const signals =
      gathered && signalInputs
        ? completeSignals(gathered, await tx.countVelocity({ clientId: lead.clientId, ip: signalInputs.ip, phone: lead.phone, deviceId: signalInputs.deviceId, isTest: lead.isTest === true }, receivedAt), lead.zip)
        : null;
    let answer: LeadAnswer;
    if (!version) {
      // No contract yet: the lead is kept (nothing lost) and waits, unjudged, for a contract.
      await tx.insertLead(lead, null);
      answer = { leadId: lead.id, status: "received", billable: false, reasons: [], ...(lead.isTest ? { test: true as const } : {}) };
    } else {
      const judged = await judgeInTransaction(tx, {
        lead,
        version,
        timezone: input.client.timezone,
        actor: input.actor,
        forJudgement: {
          source: input.source,
          name: lead.name,
          phone: lead.phone,
          rawPhone: n.contact.rawPhone,
          phoneValid: n.contact.phoneValid,
          email: lead.email,
          zip: lead.zip,
          state: n.contact.state,
          fields: lead.fields,
          receivedAt,
          honeypotFilled: n.honeypotFilled,
          call: null,
          ...(signals ? { signals } : {}),
        },
      });
      await recordJudgement(tx, lead, judged, { judgedAt: receivedAt, versionId: version.id, insert: true });
      answer = {
        leadId: lead.id,
        status: judged.status,
        billable: judged.verdict.billable && !lead.isTest,
        reasons: judged.verdict.reasons,
        ...(lead.isTest ? { test: true as const } : {}),
        ...(judged.verdict.quality ? { quality: { score: judged.verdict.quality.score, band: judged.verdict.quality.band, summary: judged.verdict.quality.summary } } : {}),
      };
    }
    const result: IdempotentAnswer = { status: 201, body: answer };
    if (input.idempotency) await tx.completeIdempotencyKey(input.idempotency.scope, input.idempotency.key, result);
    return { answer, status: 201, replayed: false };
  });
}
