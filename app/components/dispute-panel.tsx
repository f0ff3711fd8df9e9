import { Link, useFetcher, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { dateTime } from "~/lib/format";
import {
  Countdown,
  dayLabel,
  DisputeDecision,
  DisputeStatusBadge,
  EVIDENCE_ACCEPT,
  evidenceFileProblem,
  EvidenceUploader,
  EvidenceView,
  reasonText,
  uploadEvidence,
  useNow,
  type DisputeData,
} from "./dispute";
import { FieldError } from "./layout";

/**
 * "Dispute this lead" on the client's lead page: the form while the lead was charged and the
 * contract's window is open (else why not), then the dispute's status, the agency's deadline and,
 * once decided, the outcome, the agency's note and the credit. The optional evidence file is sent
 * to POST /api/disputes/:id/evidence right after the dispute is opened.
 */

const DAY_MS = 86_400_000;

export type OpenDisputeResult =
  | { ok: true; intent: string; message: string; dispute: { id: string; status: string } }
  | { ok: false; intent: string; message: string; fieldErrors: Record<string, string>; values: Record<string, string> };

export interface DisputePanelProps {
  lead: { id: string; receivedAt: string | Date; clientTimezone: string; charges: { kind: string; amountCents: number }[] };
  disputes: DisputeData[];
  terms: { windowDays: number; reasons: string[]; autoApprove: string[]; agencyResponseDays: number } | null;
  requestKey: string;
  now: string | Date;
  fallback?: OpenDisputeResult | null;
}

type Note = { ok: boolean; text: string } | null;

// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
export function DisputePanel(props: DisputePanelProps) {
  const { lead, disputes, terms } = props;
  const tz = lead.clientTimezone;
  const now = useNow(props.now);
  const fetcher = useFetcher<OpenDisputeResult>({ key: `dispute-${lead.id}` });
  const revalidator = useRevalidator();
  const result = fetcher.data ?? props.fallback ?? null;
  const failure = result && !result.ok ? result : null;
  const busy = fetcher.state !== "idle";
  const [reason, setReason] = useState(failure?.values.reason ?? "");
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [upload, setUpload] = useState<Note>(null);
  const pendingFile = useRef<File | null>(null);
  const handled = useRef<string | null>(null);

  // After the dispute is opened, send the chosen file to the evidence endpoint.
  useEffect(() => {
    const d = fetcher.data;
    if (!d || !d.ok || handled.current === d.dispute.id) return;
    handled.current = d.dispute.id;
    const file = pendingFile.current;
    pendingFile.current = null;
    if (!file) return;
    if (d.dispute.status !== "open") {
      setUpload({ ok: true, text: `The dispute was decided at once, so “${file.name}” was not needed.` });
      return;
    }
    setUpload({ ok: true, text: `Uploading “${file.name}”…` });
    void uploadEvidence(d.dispute.id, file).then((r) => {
      setUpload(r.ok ? { ok: true, text: `“${file.name}” is attached as evidence.` } : { ok: false, text: `The dispute is open, but the evidence was not attached. ${r.message}` });
      if (r.ok) revalidator.revalidate();
    });
  }, [fetcher.data, revalidator]);

  const charged = lead.charges.some((c) => c.kind !== "dispute_credit" && c.amountCents > 0);
  const latest = disputes[0] ?? null;
  if (!charged && !latest) return null;
  const closesAt = terms ? new Date(new Date(lead.receivedAt).getTime() + terms.windowDays * DAY_MS) : null;
  const windowOpen = closesAt !== null && now <= closesAt.getTime();
  const canOpen = charged && (!latest || latest.status === "withdrawn");
  const fe = failure?.fieldErrors ?? {};
  const active = latest && latest.status !== "withdrawn" ? latest : null;

  return (
    <section className="card dispute-panel" aria-labelledby="dispute-heading">
      <h2 id="dispute-heading" className="card-title">
        {active ? "Your dispute" : "Dispute this lead"}
      </h2>
      {result?.ok && active ? (
        <div className="alert success" role="status">
          {result.message}
        </div>
      ) : null}
      {upload ? (
        <div className={`alert ${upload.ok ? "info" : "error"}`} role={upload.ok ? "status" : "alert"}>
          {upload.text}
        </div>
      ) : null}
      {failure ? (
        <div className="alert error" role="alert">
          {failure.message}
        </div>
      ) : null}
      {active ? <CurrentDispute dispute={active} timeZone={tz} now={props.now} onUploaded={() => setUpload(null)} /> : null}
      {latest?.status === "withdrawn" ? (
        <p className="muted small">
          You withdrew your earlier dispute ({reasonText(latest.reason)}) on {dateTime(latest.resolvedAt, tz)}. <Link to={`/portal/disputes/${latest.id}`}>See it</Link>
        </p>
      ) : null}
      {!canOpen ? null : !terms ? (
        <p className="muted">This lead was not judged against a contract, so it cannot be disputed.</p>
      ) : !windowOpen ? (
        <div className="alert warn" role="status">
          Disputes for this lead closed on {dayLabel(closesAt!, tz, now)} ({terms.windowDays}-day window).
        </div>
      ) : (
        <fetcher.Form
          method="post"
          className="stack dispute-form"
          preventScrollReset
          onSubmit={(e) => {
            if (fileProblem) e.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="open-dispute" />
          <input type="hidden" name="requestKey" value={props.requestKey} />
          <p className="muted small" style={{ margin: 0 }}>
            You can dispute this lead until {dateTime(closesAt, tz)} ({terms.windowDays}-day window). The agency answers within {terms.agencyResponseDays}{" "}
            {terms.agencyResponseDays === 1 ? "day" : "days"}; if it doesn't, the dispute is approved automatically.
          </p>
          <label>
            Reason
            <select
              name="reason"
              required
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-invalid={fe.reason ? true : undefined}
              aria-describedby={fe.reason ? "dispute-reason-error" : undefined}
            >
              <option value="">Choose a reason…</option>
              {terms.reasons.map((r) => (
                <option key={r} value={r}>
                  {reasonText(r)}
                  {terms.autoApprove.includes(r) ? " — approved at once" : ""}
                </option>
              ))}
            </select>
            <FieldError id="dispute-reason-error" message={fe.reason ? `Reason ${fe.reason}` : null} />
          </label>
          <label>
            <span>
              Note{" "}
              <span className="hint">{reason === "other" ? "(required for “Other”: say what is wrong with the lead)" : "(optional: what happened when you called?)"}</span>
            </span>
            <textarea
              name="note"
              className="prose short"
              rows={3}
              maxLength={2000}
              defaultValue={failure?.values.note ?? ""}
              aria-invalid={fe.note ? true : undefined}
              aria-describedby={fe.note ? "dispute-note-error" : undefined}
            />
            <FieldError id="dispute-note-error" message={fe.note ? `Note ${fe.note}` : null} />
          </label>
          <label>
            <span>
              Evidence <span className="hint">(optional: screenshot, recording or PDF, at most 5 MB)</span>
            </span>
            <input
              type="file"
              accept={EVIDENCE_ACCEPT}
              aria-invalid={fileProblem ? true : undefined}
              aria-describedby={fileProblem ? "dispute-file-error" : undefined}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0] ?? null;
                pendingFile.current = file;
                setFileProblem(file ? evidenceFileProblem(file) : null);
              }}
            />
            <FieldError id="dispute-file-error" message={fileProblem} />
          </label>
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? "Opening the dispute…" : "Dispute this lead"}
            </button>
          </div>
        </fetcher.Form>
      )}
      {disputes.length > 1 ? (
        <details className="earlier-disputes">
          <summary>Earlier disputes of this lead ({disputes.length - 1})</summary>
          <ul>
            {disputes.slice(1).map((d) => (
              <li key={d.id}>
                <Link to={`/portal/disputes/${d.id}`}>{reasonText(d.reason)}</Link>, opened {dateTime(d.openedAt, tz)} — <DisputeStatusBadge status={d.status} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function CurrentDispute({ dispute, timeZone, now, onUploaded }: { dispute: DisputeData; timeZone: string; now: string | Date; onUploaded: () => void }) {
  return (
    <div className="current-dispute">
      <p className="decision-line">
        <DisputeStatusBadge status={dispute.status} /> <strong>{reasonText(dispute.reason)}</strong>
      </p>
      <p className="muted small opened-line">
        Opened {dateTime(dispute.openedAt, timeZone)}
        {dispute.openedBy ? ` by ${dispute.openedBy}` : ""}
      </p>
      {dispute.note ? <p className="dispute-note">“{dispute.note}”</p> : null}
      {dispute.status === "open" ? (
        <p>
          <Countdown dueAt={dispute.dueAt} timeZone={timeZone} now={now} />
          <span className="muted small block">If the agency doesn't answer in time, the dispute is approved automatically.</span>
        </p>
      ) : (
        <DisputeDecision dispute={dispute} timeZone={timeZone} audience="client" />
      )}
      <EvidenceView evidence={dispute.evidence} />
      {dispute.status === "open" ? <EvidenceUploader disputeId={dispute.id} hasEvidence={dispute.evidence !== null} onUploaded={onUploaded} /> : null}
      <p className="small">
        <Link to={`/portal/disputes/${dispute.id}`}>The dispute and its timeline →</Link>
      </p>
    </div>
  );
}
