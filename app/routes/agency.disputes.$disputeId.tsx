import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Countdown, DisputeDecision, DisputeStatusBadge, DisputeTerms, DisputeTimeline, EvidenceView, reasonText } from "~/components/dispute";
import { fieldFailure } from "~/components/dispute-actions.server";
import { DecisionForm, LeadEvidence, parsePercentBps, type ReviewResult } from "~/components/dispute-review";
import { AMOUNT_HINT, parseDollars } from "~/components/outcome";
import { dateTime, money } from "~/lib/format";
import { field, formAction, intent, readForm } from "~/lib/form-action.server";
import { orNotFound, requireAgency } from "~/lib/guards.server";

/**
 * One dispute for review: the client's claim and evidence beside the lead's (verdict reasons, call
 * and recording, consent, raw payload, charges) and the contract's terms; approve, partially
 * approve (percent or amount) or reject with a note.
 */

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Dispute · ${data?.dispute.lead.name ?? "Lead"} · LeadLedger` }];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function disputeId(raw: string | undefined): string {
  if (!raw || !UUID.test(raw)) throw new Response("No such dispute.", { status: 404 });
  return raw;
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const dispute = await orNotFound(context.caller.disputes.get({ id: disputeId(params.disputeId) }));
  return { dispute, now: context.now.toISOString() };
}

/** The decision is checked here, so a wrong one is shown at its field; the server checks the amounts again. */
const resolveForm = () => intent("resolve", { decision: field.text, percent: field.trimmed, amount: field.trimmed, note: field.text });

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const id = disputeId(params.disputeId);
  const form = await request.formData();
  const { intent: name, ...values } = readForm(form, resolveForm());
  const decision = values.decision;
  if (decision !== "approve" && decision !== "partial" && decision !== "reject") {
    return fieldFailure(name, "decision", "Choose approve, partially approve or reject.", values);
  }
  let percentBps: number | undefined;
  let amountCents: number | undefined;
  if (decision === "partial") {
    if (!values.percent && !values.amount) return fieldFailure(name, "percent", "Give a percentage (e.g. 50) or an amount (e.g. 37.50) to credit.", values);
    if (values.percent && values.amount) return fieldFailure(name, "percent", "Give a percentage or an amount, not both.", values);
    if (values.percent) {
      const bps = parsePercentBps(values.percent);
      if (bps === null) return fieldFailure(name, "percent", "Enter a percentage between 0.01 and 100, like 50.", values);
      percentBps = bps;
    } else {
      const cents = parseDollars(values.amount);
      if (cents === null) return fieldFailure(name, "amount", AMOUNT_HINT, values);
      if (cents === 0) return fieldFailure(name, "amount", "Enter an amount above $0.00.", values);
      amountCents = cents;
    }
  }
  return formAction(
    form,
    resolveForm(),
    async () => {
      const d = await context.caller.disputes.resolve({ disputeId: id, decision, percentBps, amountCents, note: values.note.trim() || undefined });
      const credit = d.creditCents ? `${money(d.creditCents)} is credited to ${d.clientName}'s next invoice.` : "No credit.";
      const what = decision === "approve" ? "Approved." : decision === "partial" ? "Partially approved." : "Rejected.";
      return { ok: true as const, intent: name, message: `${what} ${credit}` } satisfies ReviewResult;
    },
    { values, domainMessages: true },
  );
}

// eslint-disable-next-line max-lines-per-function -- a page's markup, top to bottom; its data and rules come from the loader, the action and shared components
export default function AgencyDispute() {
  const { dispute: d, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const tz = d.lead.clientTimezone;
  const charged = d.lead.charges.filter((c) => c.kind !== "dispute_credit").reduce((s, c) => s + c.amountCents, 0);
  const credited = -d.lead.charges.filter((c) => c.kind === "dispute_credit").reduce((s, c) => s + c.amountCents, 0);
  const summary = { ...d, openedBy: d.openedBy?.email ?? null, credit: d.decision?.credit ?? null };
  return (
    <>
      <p className="muted">
        <Link to="/agency/disputes">← Dispute queue</Link> · <Link to={`/agency/leads/${d.leadId}`}>Lead page</Link> · <Link to={`/agency/clients/${d.clientId}`}>{d.clientName}</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>
            Dispute: {reasonText(d.reason)} — {d.lead.name || "Unnamed lead"}
          </h1>
          <p className="subtitle">
            <DisputeStatusBadge status={d.status} /> · {d.clientName} · opened {dateTime(d.openedAt, tz)}
            {d.openedBy ? ` by ${d.openedBy.email}` : ""}
          </p>
        </div>
      </div>
      {result?.ok ? (
        <div className="alert success" role="status">
          {result.message}
        </div>
      ) : null}
      <div className="dispute-columns">
        <div>
          <section className="card claim-card" aria-labelledby="claim-heading">
            <h2 id="claim-heading" className="card-title">
              The client's claim
            </h2>
            <dl className="facts stack-narrow">
              <dt>Reason</dt>
              <dd>{reasonText(d.reason)}</dd>
              <dt>Note</dt>
              <dd className="break">{d.note ?? <span className="muted">—</span>}</dd>
              <dt>Deadline</dt>
              <dd>{d.status === "open" ? <Countdown dueAt={d.dueAt} timeZone={tz} now={now} lead="answer by" /> : dateTime(d.dueAt, tz)}</dd>
            </dl>
            <h3>Evidence</h3>
            {d.evidence ? <EvidenceView evidence={d.evidence} /> : <p className="muted">The client attached no file.</p>}
          </section>
          <section className="card" aria-labelledby="decision-heading">
            <h2 id="decision-heading" className="card-title">
              Decision
            </h2>
            {d.status === "open" ? (
              <DecisionForm
                remainingCents={Math.max(0, charged - credited)}
                chargedCents={charged}
                creditedCents={credited}
                failure={result && !result.ok ? (result as Extract<ReviewResult, { ok: false }>) : null}
                busy={busy}
              />
            ) : (
              <DisputeDecision dispute={summary} timeZone={tz} audience="agency" />
            )}
          </section>
          <section className="card" aria-labelledby="terms-heading">
            <h2 id="terms-heading" className="card-title">
              The contract's dispute terms
            </h2>
            <DisputeTerms terms={d.terms} windowClosesAt={d.windowClosesAt} timeZone={tz} />
          </section>
          <section className="card" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading" className="card-title">
              Timeline
            </h2>
            <DisputeTimeline events={d.timeline} timeZone={tz} />
          </section>
        </div>
        <div>
          <LeadEvidence lead={d.lead} />
        </div>
      </div>
    </>
  );
}
