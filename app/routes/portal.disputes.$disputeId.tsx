import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Countdown,
  DisputeDecision,
  DisputeStatusBadge,
  DisputeTerms,
  DisputeTimeline,
  EvidenceUploader,
  EvidenceView,
  reasonText,
} from "~/components/dispute";
import { dateTime, money } from "~/lib/format";
import { formAction, intent } from "~/lib/form-action.server";
import { orNotFound, requireClientUser } from "~/lib/guards.server";
import { disputeSummary } from "~/components/dispute-actions.server";

/** One of the client's disputes: where it stands, the agency's answer, the timeline; withdraw while open. */

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Dispute · ${data?.lead.name ?? "Lead"} · LeadLedger` }];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function disputeId(raw: string | undefined): string {
  if (!raw || !UUID.test(raw)) throw new Response("No such dispute.", { status: 404 });
  return raw;
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireClientUser(context, request);
  const d = await orNotFound(context.caller.disputes.get({ id: disputeId(params.disputeId) }));
  return {
    dispute: disputeSummary(d),
    lead: {
      id: d.lead.id,
      name: d.lead.name,
      campaignName: d.campaignName,
      receivedAt: d.lead.receivedAt,
      timezone: d.lead.clientTimezone,
      charges: d.lead.charges.filter((c) => c.kind !== "dispute_credit").reduce((s, c) => s + c.amountCents, 0),
    },
    timeline: d.timeline,
    terms: d.terms,
    windowClosesAt: d.windowClosesAt,
    now: context.now.toISOString(),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireClientUser(context, request);
  const id = disputeId(params.disputeId);
  return formAction(
    await request.formData(),
    intent("withdraw", {}),
    async () => {
      await context.caller.disputes.withdraw({ id });
      return { ok: true as const, intent: "withdraw", message: "You withdrew the dispute. You can dispute the lead again while its window is open." };
    },
    { values: {}, domainMessages: true },
  );
}

// eslint-disable-next-line max-lines-per-function -- a page's markup, top to bottom; its data and rules come from the loader, the action and shared components
export default function PortalDispute() {
  const { dispute, lead, timeline, terms, windowClosesAt, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const tz = lead.timezone;
  return (
    <>
      <p className="muted">
        <Link to="/portal/disputes">← Disputes</Link> · <Link to={`/portal/leads/${lead.id}`}>The lead</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>
            Dispute: {reasonText(dispute.reason)} — {lead.name || "Unnamed lead"}
          </h1>
          <p className="subtitle">
            <DisputeStatusBadge status={dispute.status} /> · {lead.campaignName} · lead received {dateTime(lead.receivedAt, tz)} · charged {money(lead.charges)}
          </p>
        </div>
      </div>
      {result ? (
        <div className={`alert ${result.ok ? "success" : "error"}`} role={result.ok ? "status" : "alert"}>
          {result.message}
        </div>
      ) : null}
      <div className="dispute-columns">
        <div>
          <section className="card" aria-labelledby="status-heading">
            <h2 id="status-heading" className="card-title">
              {dispute.status === "open" ? "Waiting for the agency" : "The agency's answer"}
            </h2>
            {dispute.status === "open" ? (
              <>
                <p>
                  <Countdown dueAt={dispute.dueAt} timeZone={tz} now={now} />
                </p>
                <p className="muted small">If the agency doesn't answer by then, the dispute is approved automatically with full credit.</p>
                <Form method="post" className="actions withdraw-form">
                  <input type="hidden" name="intent" value="withdraw" />
                  <button type="submit" className="secondary" disabled={busy}>
                    Withdraw this dispute
                  </button>
                  <span className="muted small">No credit; you can dispute the lead again while its window is open.</span>
                </Form>
              </>
            ) : (
              <DisputeDecision dispute={dispute} timeZone={tz} audience="client" />
            )}
          </section>
          <section className="card" aria-labelledby="claim-heading">
            <h2 id="claim-heading" className="card-title">
              Your claim
            </h2>
            <dl className="facts stack-narrow">
              <dt>Reason</dt>
              <dd>{reasonText(dispute.reason)}</dd>
              <dt>Note</dt>
              <dd className="break">{dispute.note ?? <span className="muted">—</span>}</dd>
              <dt>Opened</dt>
              <dd>
                {dateTime(dispute.openedAt, tz)}
                {dispute.openedBy ? ` by ${dispute.openedBy}` : ""}
              </dd>
              <dt>Evidence</dt>
              <dd>{dispute.evidence ? <EvidenceView evidence={dispute.evidence} /> : <span className="muted">None attached</span>}</dd>
            </dl>
            {dispute.status === "open" ? <EvidenceUploader disputeId={dispute.id} hasEvidence={dispute.evidence !== null} /> : null}
          </section>
        </div>
        <div>
          <section className="card" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading" className="card-title">
              Timeline
            </h2>
            <DisputeTimeline events={timeline} timeZone={tz} />
          </section>
          <section className="card" aria-labelledby="terms-heading">
            <h2 id="terms-heading" className="card-title">
              Your contract's dispute terms
            </h2>
            <DisputeTerms terms={terms} windowClosesAt={windowClosesAt} timeZone={tz} />
          </section>
        </div>
      </div>
    </>
  );
}
