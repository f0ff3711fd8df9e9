import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { actionFailure, disputesOfLead, disputeSummary, fieldFailure } from "~/components/dispute-actions.server";
import { DisputePanel, type OpenDisputeResult } from "~/components/dispute-panel";
import { LeadDetail } from "~/components/lead-detail";
import { LeadDeliveries } from "~/components/webhooks";
import { AMOUNT_HINT, OutcomePanel, parseDollars, type OutcomeResult } from "~/components/outcome";
import { money } from "~/lib/format";
import { field, formAction, intent, readForm } from "~/lib/form-action.server";
import { orNotFound, requireClientUser } from "~/lib/guards.server";
import { z } from "zod";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.lead.name ?? "Lead"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireClientUser(context, request);
  const lead = await orNotFound(context.caller.leads.get({ id: params.leadId ?? "" }));
  const [history, disputes, alerts, deliveries] = await Promise.all([
    lead.contractVersion ? orNotFound(context.caller.contracts.history({})) : Promise.resolve([]),
    disputesOfLead(context.caller, lead, false),
    context.caller.alerts.list({ leadId: lead.id, limit: 50 }),
    context.caller.webhooks.deliveries({ leadId: lead.id, limit: 20 }),
  ]);
  const version = history.find((v) => v.id === lead.contractVersion?.id) ?? null;
  const d = version?.document.disputes;
  return {
    lead,
    alerts,
    deliveries,
    canManageWebhooks: context.user?.role === "client_admin",
    disputes: disputes.map(disputeSummary),
    terms: d ? { windowDays: d.windowDays, reasons: d.reasons, autoApprove: d.autoApprove, agencyResponseDays: d.agencyResponseDays } : null,
    pricing: version ? { acquisitionPriceCents: version.document.pricing.acquisitionPriceCents ?? 0, revshareBps: version.document.pricing.revshareBps ?? 0 } : null,
    /** A new key per page load: a double submit of the dispute form opens one dispute. */
    requestKey: crypto.randomUUID(),
    now: context.now.toISOString(),
  };
}

const KIND: Record<string, string> = { acquisition_charge: "acquisition fee", revshare_charge: "revenue share", adjustment: "reversal" };

const outcome = () => ({ value: field.trimmed });
const leadForm = () => z.discriminatedUnion("intent", [
  intent("mark-won", outcome()),
  intent("mark-lost", outcome()),
  intent("open-dispute", { reason: field.text, note: field.text, requestKey: field.optional }),
]);

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireClientUser(context, request);
  const leadId = params.leadId ?? "";
  const form = await request.formData();
  const input = readForm(form, leadForm());

  if (input.intent === "mark-won" || input.intent === "mark-lost") {
    const { intent: name, value: raw } = input;
    const values = { value: raw };
    let valueCents: number | undefined;
    if (name === "mark-won" && raw !== "") {
      const cents = parseDollars(raw);
      if (cents === null) return fieldFailure(name, "value", AMOUNT_HINT, values);
      valueCents = cents;
    }
    try {
      const r = await context.caller.leads.markOutcome({ leadId, outcome: name === "mark-won" ? "won" : "lost", valueCents });
      const billed = r.entries.map((e) => `${e.idempotencyKey.startsWith("adjustment:credited-") ? "already credited by your dispute, added back" : (KIND[e.kind] ?? e.kind)} ${money(e.amountCents)}`).join(", ");
      const what = r.outcome === "won" ? `Marked won${r.valueCents !== null ? ` — deal value ${money(r.valueCents)}` : ""}.` : "Marked lost.";
      const message = !r.changed ? `Already marked ${r.outcome}${r.outcome === "won" && r.valueCents !== null ? ` with ${money(r.valueCents)}` : ""}; nothing changed.` : billed ? `${what} Billed: ${billed}.` : `${what} Nothing was billed for it.`;
      return { ok: true as const, intent: name, message } satisfies OutcomeResult;
    } catch (e) {
      const failed = actionFailure(e, name, values);
      if (failed.data.fieldErrors.valueCents) failed.data.fieldErrors.value = "Enter the deal value: your contract takes a share of it.";
      return failed;
    }
  }

  return formAction(
    form,
    leadForm(),
    async () => {
      const r = await context.caller.disputes.open({ leadId, reason: input.reason, note: input.note.trim() || undefined, requestKey: input.requestKey });
      const d = r.dispute;
      const message = r.replayed
        ? "This dispute was already opened; nothing new was created."
        : d.status === "open"
          ? "Dispute opened. The agency has been asked to review it."
          : d.resolutionNote ?? "Dispute decided.";
      return { ok: true as const, intent: input.intent, message, dispute: { id: d.id, status: d.status } } satisfies OpenDisputeResult;
    },
    { values: { reason: input.reason, note: input.note }, domainMessages: true },
  );
}

export default function PortalLead() {
  const { lead, alerts, deliveries, canManageWebhooks, disputes, terms, pricing, requestKey, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p className="muted">
        <Link to="/portal/leads">← Leads</Link>
        {disputes.length ? (
          <>
            {" "}
            · <Link to="/portal/disputes">Disputes</Link>
          </>
        ) : null}
      </p>
      <LeadDetail lead={lead} alerts={alerts}>
        <div className="lead-actions">
          {lead.status === "qualified" && !lead.isTest ? (
            <OutcomePanel lead={lead} pricing={pricing} fallback={result && (result.intent === "mark-won" || result.intent === "mark-lost") ? (result as OutcomeResult) : null} />
          ) : null}
          <DisputePanel
            lead={lead}
            disputes={disputes}
            terms={terms}
            requestKey={requestKey}
            now={now}
            fallback={result && result.intent === "open-dispute" ? (result as OpenDisputeResult) : null}
          />
        </div>
      </LeadDetail>
      <LeadDeliveries deliveries={deliveries} manageHref={canManageWebhooks ? "/portal/webhooks" : undefined} />
    </>
  );
}
