import { Form } from "@remix-run/react";
import { useState } from "react";
import { dateTime, money, phone, SOURCE_LABEL } from "~/lib/format";
import { FieldError } from "./layout";
import { VerdictCard, type LeadDetailData } from "./lead-detail";

/**
 * The agency's side of a dispute: the decision form (approve, partially approve by percent or
 * amount, reject with a note) and the lead's evidence beside the client's claim.
 */

export type ReviewResult =
  | { ok: true; intent: string; message: string }
  | { ok: false; intent: string; message: string; fieldErrors: Record<string, string>; values: Record<string, string> };

/** "50", "50%", "12.5" → basis points (5000, 5000, 1250); null when not a percentage in (0, 100]. */
export function parsePercentBps(raw: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%?$/.exec(raw.trim());
  if (!m) return null;
  const bps = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return bps >= 1 && bps <= 10_000 ? bps : null;
}

// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
export function DecisionForm(props: { remainingCents: number; chargedCents: number; creditedCents: number; failure: Extract<ReviewResult, { ok: false }> | null; busy: boolean }) {
  const f = props.failure;
  const fe = f?.fieldErrors ?? {};
  const [decision, setDecision] = useState(f?.values.decision ?? "");
  const percentError = fe.percent ?? fe.percentBps;
  const amountError = fe.amount ?? fe.amountCents;
  const noteRequired = decision === "partial" || decision === "reject";
  return (
    <Form method="post" className="stack decision-form" aria-label="Decide the dispute" preventScrollReset>
      <input type="hidden" name="intent" value="resolve" />
      {f ? (
        <div className="alert error" role="alert">
          {f.message}
        </div>
      ) : null}
      <p className="muted small" style={{ margin: 0 }}>
        The lead was charged {money(props.chargedCents)}
        {props.creditedCents > 0 ? `, ${money(props.creditedCents)} of it already credited` : ""}; at most {money(props.remainingCents)} can be credited.
      </p>
      <fieldset className="decision-choices" aria-invalid={fe.decision ? true : undefined} aria-describedby={fe.decision ? "decision-error" : undefined}>
        <legend>Your decision</legend>
        <label className="checkbox">
          <input type="radio" name="decision" value="approve" checked={decision === "approve"} onChange={() => setDecision("approve")} />
          Approve — credit {money(props.remainingCents)}
        </label>
        <label className="checkbox">
          <input type="radio" name="decision" value="partial" checked={decision === "partial"} onChange={() => setDecision("partial")} />
          Partially approve — credit a percentage or an amount
        </label>
        <label className="checkbox">
          <input type="radio" name="decision" value="reject" checked={decision === "reject"} onChange={() => setDecision("reject")} />
          Reject — no credit
        </label>
        <FieldError id="decision-error" message={fe.decision} />
      </fieldset>
      <div className="field-grid partial-fields" hidden={decision !== "" && decision !== "partial"}>
        <label>
          <span>
            Percent of the charges <span className="hint">e.g. 50</span>
          </span>
          <input
            name="percent"
            inputMode="decimal"
            autoComplete="off"
            defaultValue={f?.values.percent ?? ""}
            aria-invalid={percentError ? true : undefined}
            aria-describedby={percentError ? "percent-error" : undefined}
          />
          <FieldError id="percent-error" message={percentError} />
        </label>
        <label>
          <span>
            or an amount ($) <span className="hint">e.g. 37.50</span>
          </span>
          <input
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            defaultValue={f?.values.amount ?? ""}
            aria-invalid={amountError ? true : undefined}
            aria-describedby={amountError ? "amount-error" : undefined}
          />
          <FieldError id="amount-error" message={amountError} />
        </label>
      </div>
      <label>
        <span>
          Note to the client <span className="hint">{noteRequired ? "(required: the client reads it)" : "(required to reject or partially approve)"}</span>
        </span>
        <textarea
          name="note"
          className="prose short"
          rows={3}
          maxLength={2000}
          defaultValue={f?.values.note ?? ""}
          aria-invalid={fe.note ? true : undefined}
          aria-describedby={fe.note ? "note-error" : undefined}
        />
        <FieldError id="note-error" message={fe.note ? `Note ${fe.note}` : null} />
      </label>
      <div className="actions">
        <button type="submit" disabled={props.busy}>
          Record decision
        </button>
      </div>
    </Form>
  );
}

const KIND_LABEL: Record<string, string> = {
  lead_charge: "Lead charge",
  acquisition_charge: "Acquisition fee",
  revshare_charge: "Revenue share",
  dispute_credit: "Dispute credit",
  adjustment: "Adjustment",
};

type EvidenceLead = LeadDetailData & { recordingUrl: string | null };

/** The lead beside the claim: verdict and reasons, call facts and recording, contact, consent, raw payload, charges. */
// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
export function LeadEvidence({ lead }: { lead: EvidenceLead }) {
  const tz = lead.clientTimezone;
  const consent = lead.consent as { text?: string; at?: string; ip?: string; userAgent?: string; pageUrl?: string } | null;
  return (
    <>
      <VerdictCard lead={lead} />
      {lead.call ? (
        <section className="card" aria-labelledby="call-heading">
          <h2 id="call-heading" className="card-title">
            Call
          </h2>
          <dl className="facts stack-narrow">
            <dt>Caller</dt>
            <dd>{phone(lead.call.from)}</dd>
            <dt>Conversation</dt>
            <dd>{lead.call.conversationSeconds === null ? "—" : `${lead.call.conversationSeconds} s`}</dd>
            <dt>Dial status</dt>
            <dd>{lead.call.dialStatus ?? "—"}</dd>
          </dl>
          {lead.recordingUrl ? (
            <p>
              <audio controls preload="none" src={lead.recordingUrl} aria-label="Call recording" className="wide-audio">
                <a href={lead.recordingUrl}>Download the recording</a>
              </audio>
            </p>
          ) : (
            <p className="muted">No recording for this call.</p>
          )}
        </section>
      ) : null}
      <section className="card" aria-labelledby="contact-heading">
        <h2 id="contact-heading" className="card-title">
          Lead
        </h2>
        <dl className="facts stack-narrow">
          <dt>Source</dt>
          <dd>
            {SOURCE_LABEL[lead.source] ?? lead.source} · {lead.campaignName}
          </dd>
          <dt>Received</dt>
          <dd>{dateTime(lead.receivedAt, tz)}</dd>
          <dt>Name</dt>
          <dd>{lead.name ?? "—"}</dd>
          <dt>Phone</dt>
          <dd>{phone(lead.phone)}</dd>
          <dt>E-mail</dt>
          <dd className="break">{lead.email ?? "—"}</dd>
          <dt>Place</dt>
          <dd>{[lead.city, lead.state, lead.zip].filter(Boolean).join(", ") || "—"}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="consent-heading">
        <h2 id="consent-heading" className="card-title">
          Consent
        </h2>
        {consent ? (
          <dl className="facts stack-narrow">
            <dt>Text shown</dt>
            <dd>{consent.text ?? "—"}</dd>
            <dt>Given at</dt>
            <dd>{dateTime(consent.at ?? null, tz)}</dd>
            <dt>IP address</dt>
            <dd className="mono">{consent.ip ?? "—"}</dd>
            <dt>Browser</dt>
            <dd className="mono break">{consent.userAgent ?? "—"}</dd>
            <dt>Page</dt>
            <dd className="mono break">{consent.pageUrl ?? "—"}</dd>
          </dl>
        ) : (
          <p className="muted">No consent record: the lead came {lead.source === "call" ? "from a phone call" : "from a vendor post"}.</p>
        )}
      </section>
      <section className="card" aria-labelledby="payload-heading">
        <h2 id="payload-heading" className="card-title">
          Raw payload as received
        </h2>
        <pre className="mono payload">{JSON.stringify(lead.rawPayload, null, 2)}</pre>
      </section>
      <section className="card" aria-labelledby="charges-heading">
        <h2 id="charges-heading" className="card-title">
          Charges and credits
        </h2>
        {lead.charges.length === 0 ? (
          <p className="muted">Nothing billed for this lead.</p>
        ) : (
          <table>
            <tbody>
              {lead.charges.map((c) => (
                <tr key={c.id}>
                  <td>{KIND_LABEL[c.kind] ?? c.kind.replace(/_/g, " ")}</td>
                  <td className="muted">{dateTime(c.createdAt, tz)}</td>
                  <td className="num">{money(c.amountCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
