import type { ReactNode } from "react";
import { Link } from "@remix-run/react";
import { dateTime, leadLabel, money, phone, reasonLabel, SOURCE_LABEL, titleCase } from "~/lib/format";
import { StatusBadge } from "./leads";
import { AlertStatusList, type AlertRow } from "./alert-status";
import type { RouterOutputs } from "~/lib/api";
import { AttributionCard } from "./attribution";

/** A lead as `leads.get` returns it. */
export type LeadDetailData = RouterOutputs["leads"]["get"];

const KIND_LABEL: Record<string, string> = {
  lead_charge: "Lead charge",
  acquisition_charge: "Acquisition fee",
  revshare_charge: "Revenue share",
  dispute_credit: "Dispute credit",
  adjustment: "Adjustment",
  retainer: "Retainer",
};

/**
 * A verdict's sentence with the leads it names in words and as links ("Same phone as the lead from
 * Nov 28, Ann S., …") instead of their ids; the stored sentence itself stays as judged.
 */
function ReasonMessage({ message, lead }: { message: string; lead: LeadDetailData }) {
  const parts = message.split(/\blead ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/);
  return (
    <>
      {parts.map((part, i) => {
        if (i % 2 === 0) return part;
        const other = lead.relatedLeads.find((l) => l.id === part);
        return (
          <Link key={i} to={`../${part}`} relative="path">
            {other ? `the ${leadLabel(other, lead.clientTimezone)}` : "an earlier lead"}
          </Link>
        );
      })}
    </>
  );
}

function isSimple(v: unknown): boolean {
  return v === null || ["string", "number", "boolean"].includes(typeof v) || (Array.isArray(v) && v.length <= 5 && v.every((x) => typeof x !== "object"));
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (Array.isArray(v)) return v.map(show).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export function VerdictCard({ lead }: { lead: LeadDetailData }) {
  const v = lead.verdict;
  const rejects = v?.reasons.filter((r) => r.effect !== "info") ?? [];
  const infos = v?.reasons.filter((r) => r.effect === "info") ?? [];
  return (
    <section className="card" aria-labelledby="why">
      <h2 id="why" style={{ marginTop: 0 }}>
        Why this lead is {lead.status === "received" ? "waiting" : lead.status}
      </h2>
      {!v ? (
        <p className="muted">
          {lead.source === "call" ? "The call is still in progress or its result has not arrived yet." : "No contract was in force when this lead arrived, so it has not been judged yet."}
        </p>
      ) : (
        <>
          {rejects.length === 0 ? (
            <p>
              <strong>It met every rule</strong> of the qualification contract{lead.contractVersion ? ` (version ${lead.contractVersion.version})` : ""}
              {v.billable && !lead.isTest ? " and is billable." : "."}
            </p>
          ) : (
            <ul className="reasons">
              {rejects.map((r, i) => (
                <li key={i}>
                  <strong>{reasonLabel(r.code)}:</strong> <ReasonMessage message={r.message} lead={lead} />
                  {isSimple(r.observed) && isSimple(r.expected) ? (
                    <div className="muted">
                      Observed: {show(r.observed)} · Expected: {show(r.expected)}
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {v.quality ? (
            <div data-testid="lead-quality">
              <p>
                <strong>Quality score: {v.quality.score} of 100 ({v.quality.band}).</strong> {v.quality.summary}.
              </p>
              {v.quality.deductions.length > 0 ? (
                <ul className="muted">
                  {v.quality.deductions.map((d, i) => (
                    <li key={i}>
                      −{d.points}: {d.reason}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">Every intake check came back clean.</p>
              )}
            </div>
          ) : null}
          {v.location ? <p data-testid="verdict-location"><strong>Location:</strong> {v.location.text}.</p> : null}
          {infos.map((r, i) => (
            <div key={i} className="alert info">
              <strong>{reasonLabel(r.code)}:</strong> {r.message}
            </div>
          ))}
          {lead.contractVersion ? (
            <p className="muted">
              Judged {dateTime(lead.judgedAt, lead.clientTimezone)} by contract version {lead.contractVersion.version}, effective {dateTime(lead.contractVersion.effectiveFrom, lead.clientTimezone)}.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

/**
 * One lead with its evidence. `alerts` (rows of `alerts.list({ leadId })`) adds the SMS alerts card:
 * who was texted about this lead and where each text stands.
 */
// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
export function LeadDetail({ lead, alerts, children }: { lead: LeadDetailData; alerts?: AlertRow[]; children?: ReactNode }) {
  const custom = Object.entries(lead.fields ?? {});
  const consent = lead.consent as { text?: string; at?: string; ip?: string; userAgent?: string; pageUrl?: string } | null;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{titleCase(lead.name) || phone(lead.phone) || lead.email || "Unnamed lead"}</h1>
          <p className="subtitle">
            <StatusBadge status={lead.status} /> {lead.outcome ? <StatusBadge status={lead.outcome} /> : null} {lead.isTest ? <span className="badge">test</span> : null} ·{" "}
            {SOURCE_LABEL[lead.source] ?? lead.source} ·{" "}
            {lead.campaignName} · received {dateTime(lead.receivedAt, lead.clientTimezone)}
          </p>
        </div>
      </div>
      <VerdictCard lead={lead} />
      <AttributionCard lead={lead} />
      {children}
      <div className="grid">
        <section className="card" aria-labelledby="contact">
          <h2 id="contact" style={{ marginTop: 0 }}>
            Contact
          </h2>
          <dl className="facts">
            <dt>Name</dt>
            <dd>{lead.name ?? "—"}</dd>
            <dt>Phone</dt>
            <dd>{lead.phone ? <a href={`tel:${lead.phone}`}>{phone(lead.phone)}</a> : "—"}</dd>
            <dt>E-mail</dt>
            <dd>{lead.email ? <a href={`mailto:${lead.email}`}>{lead.email}</a> : "—"}</dd>
            <dt>Place</dt>
            <dd>{[lead.city, lead.state, lead.zip].filter(Boolean).join(", ") || "—"}</dd>
            {custom.map(([k, v]) => (
              <FactRow key={k} label={k} value={show(v)} />
            ))}
          </dl>
        </section>
        {lead.call ? (
          <section className="card" aria-labelledby="call">
            <h2 id="call" style={{ marginTop: 0 }}>
              Call
            </h2>
            <dl className="facts">
              <dt>Caller</dt>
              <dd>{phone(lead.call.from)}</dd>
              <dt>Conversation</dt>
              <dd>{lead.call.conversationSeconds === null ? "—" : `${lead.call.conversationSeconds} s`}</dd>
              <dt>Dial status</dt>
              <dd>{lead.call.dialStatus ?? "—"}</dd>
              {lead.call.screening ? (
                <>
                  <dt>Screening</dt>
                  <dd>{lead.call.screening === "accepted" ? "Accepted (pressed 1)" : lead.call.screening === "not_accepted" ? "Not accepted — not billed" : "Waiting"}</dd>
                </>
              ) : null}
            </dl>
            {lead.call.hasRecording ? (
              <p>
                <audio controls preload="none" src={`/recordings/${lead.id}`} aria-label="Call recording" style={{ width: "100%" }}>
                  <a href={`/recordings/${lead.id}`}>Download the recording</a>
                </audio>
              </p>
            ) : (
              <p className="muted">No recording for this call{lead.call.recordingNote ? `: ${lead.call.recordingNote}` : ""}.</p>
            )}
          </section>
        ) : null}
        <section className="card" aria-labelledby="money">
          <h2 id="money" style={{ marginTop: 0 }}>
            Charges and credits
          </h2>
          {lead.charges.length === 0 ? (
            <p className="muted">
              {lead.isTest
                ? "A test lead: never billed or alerted, and deleted 7 days after it arrived."
                : lead.status === "qualified" && lead.billable === false
                  ? "Qualified but not billed (monthly cap)."
                  : "Nothing billed for this lead."}
            </p>
          ) : (
            <table>
              <tbody>
                {lead.charges.map((c) => (
                  <tr key={c.id}>
                    <td>{KIND_LABEL[c.kind] ?? c.kind}</td>
                    <td className="muted">{dateTime(c.createdAt, lead.clientTimezone)}</td>
                    <td className="num">{money(c.amountCents)}</td>
                    <td>
                      {!c.invoice ? (
                        <span className="badge info">next invoice</span>
                      ) : c.invoice.status === "draft" ? (
                        <span className="badge info">draft invoice {c.invoice.number}</span>
                      ) : c.invoice.status === "void" ? (
                        <span className="badge">voided invoice {c.invoice.number}</span>
                      ) : (
                        <span className="badge">invoiced {c.invoice.number}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {lead.outcome === "won" ? <p>Won, deal value {money(lead.outcomeValueCents)}.</p> : null}
        </section>
      </div>
      {alerts ? (
        <section className="card" aria-labelledby="lead-alerts">
          <h2 id="lead-alerts" style={{ marginTop: 0 }}>
            SMS alerts
          </h2>
          <AlertStatusList
            alerts={alerts}
            timezone={lead.clientTimezone}
            caption="SMS alerts for this lead"
            emptyTitle={lead.isTest ? "No alerts: test leads are never texted" : lead.status === "qualified" ? "No alerts for this lead" : "No alerts: only qualified leads are texted"}
          />
        </section>
      ) : null}
      {consent ? (
        <section className="card" aria-labelledby="consent">
          <h2 id="consent" style={{ marginTop: 0 }}>
            Consent record
          </h2>
          <dl className="facts">
            <dt>Text shown</dt>
            <dd>{consent.text ?? "—"}</dd>
            <dt>Given at</dt>
            <dd>{dateTime(consent.at ?? null, lead.clientTimezone)}</dd>
            <dt>IP address</dt>
            <dd className="mono">{consent.ip ?? "—"}</dd>
            <dt>Browser</dt>
            <dd className="mono">{consent.userAgent ?? "—"}</dd>
            <dt>Page</dt>
            <dd className="mono">{consent.pageUrl ?? "—"}</dd>
          </dl>
        </section>
      ) : null}
      <details className="card">
        <summary>
          <strong>Raw payload as received</strong>
        </summary>
        <pre className="mono" style={{ whiteSpace: "pre-wrap", overflowX: "auto" }}>
          {JSON.stringify(lead.rawPayload, null, 2)}
        </pre>
      </details>
    </>
  );
}

function FactRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
