import { Link, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { dateTime, money } from "~/lib/format";
import type { RouterOutputs } from "~/lib/api";

/**
 * Pieces every dispute page shares (client portal and agency console): readable reason and status
 * labels, the agency's deadline as a live countdown, the decision, the evidence file and its
 * upload, the timeline and the contract's dispute terms.
 */

export const REASON_LABEL: Record<string, string> = {
  wrong_number: "Wrong number",
  out_of_area: "Outside the service area",
  duplicate: "Duplicate lead",
  spam: "Spam or fake",
  not_looking: "Not looking for the service",
  other: "Other",
};

export function reasonText(code: string): string {
  return REASON_LABEL[code] ?? code.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

export const DISPUTE_STATUS: Record<string, { label: string; badge: string }> = {
  open: { label: "Open", badge: "info" },
  approved: { label: "Approved", badge: "ok" },
  partially_approved: { label: "Partially approved", badge: "warn" },
  rejected: { label: "Rejected", badge: "bad" },
  auto_approved: { label: "Approved automatically", badge: "ok" },
  withdrawn: { label: "Withdrawn", badge: "" },
};

export function DisputeStatusBadge({ status }: { status: string }) {
  const s = DISPUTE_STATUS[status] ?? { label: status, badge: "" };
  return <span className={`badge ${s.badge}`}>{s.label}</span>;
}

type DisputeItem = RouterOutputs["disputes"]["list"]["items"][number];

/** A dispute as the lead pages pass it to the browser: a `disputes.list` item with who opened it by e-mail and the decided credit. */
export type DisputeData = Pick<DisputeItem, "id" | "reason" | "note" | "status" | "openedAt" | "dueAt" | "resolutionNote" | "resolvedBy" | "resolvedAt" | "creditCents" | "evidence"> & {
  openedBy: string | null;
  credit: NonNullable<DisputeItem["decision"]>["credit"] | null;
};

/** "Nov 25" in the client's time zone ("Nov 25, 2027" outside the current year) — as the server's messages write days. */
export function dayLabel(v: string | Date, timeZone: string, now: number = Date.now()): string {
  const d = new Date(v);
  const year = (x: Date) => x.toLocaleDateString("en-US", { timeZone, year: "numeric" });
  const sameYear = year(d) === year(new Date(now));
  return d.toLocaleDateString("en-US", { timeZone, month: "short", day: "numeric", ...(sameYear ? {} : { year: "numeric" }) });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "2 days 4 hours", "3 hours 10 minutes", "5 minutes", "less than a minute". */
export function durationText(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${plural(days, "day")} ${plural(hours, "hour")}` : plural(days, "day");
  if (hours > 0) return mins > 0 ? `${plural(hours, "hour")} ${plural(mins, "minute")}` : plural(hours, "hour");
  return minutes > 0 ? plural(minutes, "minute") : "less than a minute";
}

/**
 * The current time for countdowns: the loader's time on the server and in the first render (so
 * hydration matches), then the browser's clock, once a minute.
 */
export function useNow(initial: string | Date): number {
  const [now, setNow] = useState(() => new Date(initial).getTime());
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function isOverdue(d: { status: string; dueAt: string | Date }, now: number): boolean {
  return d.status === "open" && new Date(d.dueAt).getTime() <= now;
}

/** "agency answers by Nov 25 — 2 days 4 hours left" / "… — overdue by 3 hours", updated each minute. */
export function Countdown(props: { dueAt: string | Date; timeZone: string; now: string | Date; lead?: string; className?: string }) {
  const now = useNow(props.now);
  const due = new Date(props.dueAt);
  const ms = due.getTime() - now;
  return (
    <span className={`countdown ${ms <= 0 ? "overdue" : ""} ${props.className ?? ""}`.trim()}>
      {props.lead ?? "agency answers by"}{" "}
      <time dateTime={due.toISOString()} title={dateTime(due, props.timeZone)}>
        {dayLabel(due, props.timeZone, now)}
      </time>{" "}
      — {ms > 0 ? `${durationText(ms)} left` : `overdue by ${durationText(ms)}`}
    </span>
  );
}

/** Who did it, in words: an e-mail, or what the system rule was. */
export function actorText(actor: string | null): string {
  if (!actor) return "—";
  if (actor === "system:dispute-rules") return "Contract rules (automatic)";
  if (actor === "system:disputes.auto-approve") return "Deadline passed (automatic)";
  if (actor.startsWith("system:")) return `System (${actor.slice(7)})`;
  return actor;
}

export function creditKindText(credit: DisputeData["credit"]): string | null {
  if (!credit) return null;
  if (credit.kind === "full") return "full credit of the lead's charges";
  if (credit.kind === "percent") return `${credit.bps % 100 === 0 ? credit.bps / 100 : (credit.bps / 100).toFixed(2)}% of the lead's charges`;
  return `a fixed credit of ${money(credit.cents)}`;
}

/** The outcome of a decided dispute: status, when and by whom, the agency's note and the credit. */
export function DisputeDecision({ dispute, timeZone, audience }: { dispute: DisputeData; timeZone: string; audience: "client" | "agency" }) {
  if (dispute.status === "open") return null;
  const kind = creditKindText(dispute.credit);
  const credited = (dispute.creditCents ?? 0) > 0;
  return (
    <div className="dispute-decision">
      <p className="decision-line">
        <DisputeStatusBadge status={dispute.status} /> {dispute.resolvedAt ? <>on {dateTime(dispute.resolvedAt, timeZone)}</> : null}
        {dispute.resolvedBy ? <> by {actorText(dispute.resolvedBy)}</> : null}
      </p>
      {dispute.resolutionNote ? (
        <blockquote className="decision-note" aria-label={audience === "client" ? "The agency's note" : "Decision note"}>
          {dispute.resolutionNote}
        </blockquote>
      ) : null}
      {dispute.status === "withdrawn" ? null : credited ? (
        <p>
          Credit: <strong className="credit-amount">{money(dispute.creditCents)}</strong>
          {kind ? <span className="muted"> ({kind})</span> : null}
          {audience === "client" ? " — it appears on your next invoice." : " — on the client's next invoice."}
        </p>
      ) : (
        <p className="muted">No credit.</p>
      )}
    </div>
  );
}

const EVIDENCE_TYPES = ["image/png", "image/jpeg", "image/webp", "audio/mpeg", "audio/wav", "application/pdf"];
const TYPE_ALIASES: Record<string, string> = { "audio/mp3": "audio/mpeg", "audio/x-wav": "audio/wav", "audio/wave": "audio/wav" };
export const EVIDENCE_ACCEPT = ".png,.jpg,.jpeg,.webp,.mp3,.wav,.pdf,image/png,image/jpeg,image/webp,audio/mpeg,audio/wav,application/pdf";
const MAX_BYTES = 5 * 1024 * 1024;

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** What is wrong with a chosen file before it is sent (the server checks again), or null. */
export function evidenceFileProblem(file: { name: string; type: string; size: number }): string | null {
  const type = TYPE_ALIASES[file.type] ?? file.type;
  if (!EVIDENCE_TYPES.includes(type)) {
    return `“${file.name}” can't be used as evidence: attach a screenshot (PNG, JPEG or WebP), a recording (MP3 or WAV) or a PDF.`;
  }
  if (file.size > MAX_BYTES) return `“${file.name}” is ${mb(file.size)}; evidence files may be at most 5 MB.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  return null;
}

/** Sends the file to POST /api/disputes/:id/evidence and says in words what went wrong. */
export async function uploadEvidence(disputeId: string, file: File): Promise<{ ok: true } | { ok: false; message: string }> {
  const problem = evidenceFileProblem(file);
  if (problem) return { ok: false, message: problem };
  let res: Response;
  try {
    res = await fetch(`/api/disputes/${disputeId}/evidence`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": TYPE_ALIASES[file.type] ?? file.type, "X-File-Name": encodeURIComponent(file.name) },
      body: file,
    });
  } catch {
    return { ok: false, message: "The file did not reach the server. Check your connection and try again." };
  }
  if (res.ok) return { ok: true };
  let serverMessage = "";
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    serverMessage = body.error?.message ?? "";
  } catch {
    /* not JSON */
  }
  switch (res.status) {
    case 413:
      return { ok: false, message: `The file is too large (413): evidence files may be at most 5 MB.` };
    case 415:
      return { ok: false, message: `The file was refused (415): ${serverMessage || "attach a PNG, JPEG or WebP image, an MP3 or WAV recording, or a PDF."}` };
    case 401:
      return { ok: false, message: "Your session has ended: sign in again, then attach the file." };
    default:
      return { ok: false, message: serverMessage || `The upload failed (HTTP ${res.status}). Try again.` };
  }
}

/** A file picker + upload button for an open dispute; reloads the page data once the file is stored. */
export function EvidenceUploader(props: { disputeId: string; hasEvidence: boolean; onUploaded?: () => void }) {
  const revalidator = useRevalidator();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<{ busy: boolean; message: { ok: boolean; text: string } | null }>({ busy: false, message: null });
  const id = `evidence-${props.disputeId}`;
  async function send() {
    const file = input.current?.files?.[0];
    if (!file) {
      setState({ busy: false, message: { ok: false, text: "Choose a file first." } });
      return;
    }
    setState({ busy: true, message: null });
    const r = await uploadEvidence(props.disputeId, file);
    setState({ busy: false, message: r.ok ? { ok: true, text: `“${file.name}” is attached.` } : { ok: false, text: r.message } });
    if (r.ok) {
      if (input.current) input.current.value = "";
      props.onUploaded?.();
      revalidator.revalidate();
    }
  }
  return (
    <div className="evidence-uploader">
      <div className="uploader-row">
        <label htmlFor={id}>
          {props.hasEvidence ? "Replace the evidence file" : "Add evidence"}
          <span className="hint">Screenshot, recording or PDF, at most 5 MB</span>
        </label>
        <input id={id} type="file" accept={EVIDENCE_ACCEPT} ref={input} onChange={() => setState({ busy: false, message: null })} />
        <button type="button" className="secondary" onClick={send} disabled={state.busy}>
          {state.busy ? "Uploading…" : "Upload"}
        </button>
      </div>
      <div aria-live="polite">
        {state.message ? (
          <div className={`alert ${state.message.ok ? "success" : "error"}`} role={state.message.ok ? "status" : "alert"}>
            {state.message.text}
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** The evidence file: an image inline, a recording as a player, a PDF as a link. */
export function EvidenceView({ evidence }: { evidence: DisputeData["evidence"] }) {
  if (!evidence) return null;
  const name = evidence.filename ?? "evidence";
  if (evidence.contentType.startsWith("image/")) {
    return (
      <figure className="evidence-figure">
        <a href={evidence.url} target="_blank" rel="noreferrer">
          <img src={evidence.url} alt={`Evidence: ${name}`} />
        </a>
        <figcaption className="muted small">{name}</figcaption>
      </figure>
    );
  }
  if (evidence.contentType.startsWith("audio/")) {
    return (
      <figure className="evidence-figure">
        <audio controls preload="none" src={evidence.url} aria-label={`Evidence recording: ${name}`}>
          <a href={evidence.url}>Download {name}</a>
        </audio>
        <figcaption className="muted small">{name}</figcaption>
      </figure>
    );
  }
  return (
    <p>
      <a href={evidence.url} target="_blank" rel="noreferrer" className="strong-link">
        Open the PDF: {name}
      </a>
    </p>
  );
}

export type TimelineEventData = RouterOutputs["disputes"]["get"]["timeline"][number];

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
}

function describe(e: TimelineEventData, timeZone: string): { title: string; details: ReactNode[] } {
  const after = record(e.after);
  const before = record(e.before);
  const details: ReactNode[] = [];
  const status = (s: unknown) => DISPUTE_STATUS[String(s)]?.label ?? String(s);
  if (e.action === "dispute.opened") {
    details.push(`Reason: ${reasonText(String(after.reason ?? ""))}`);
    if (after.note) details.push(`Note: ${String(after.note)}`);
    if (after.dueAt) details.push(`Agency deadline: ${dateTime(String(after.dueAt), timeZone)}`);
    return { title: "Opened the dispute", details };
  }
  if (e.action === "dispute.evidence_attached") {
    const bytes = typeof after.bytes === "number" ? ` (${after.bytes >= 1024 * 1024 ? mb(after.bytes) : `${Math.max(1, Math.round(after.bytes / 1024))} KB`})` : "";
    details.push(`${String(after.filename ?? "A file")}${bytes}, ${String(after.contentType ?? "")}`);
    if (before.filename || before.contentType) details.push(`Replaced ${String(before.filename ?? "the earlier file")}`);
    return { title: before.contentType ? "Replaced the evidence" : "Attached evidence", details };
  }
  if (e.action.startsWith("dispute.")) {
    if (before.status !== undefined || after.status !== undefined) details.push(`Status: ${status(before.status ?? "open")} → ${status(after.status)}`);
    if (typeof after.creditCents === "number") details.push(`Credit: ${money(after.creditCents)}`);
    if (after.resolutionNote) details.push(`Note: ${String(after.resolutionNote)}`);
    const title = DISPUTE_STATUS[e.action.slice("dispute.".length)]?.label ?? e.action;
    return { title, details };
  }
  return { title: e.action, details };
}

/** Who did what and when, oldest first. */
export function DisputeTimeline({ events, timeZone }: { events: TimelineEventData[]; timeZone: string }) {
  if (events.length === 0) return <p className="muted">Nothing recorded yet.</p>;
  return (
    <ol className="timeline" aria-label="Timeline">
      {events.map((e, i) => {
        const d = describe(e, timeZone);
        return (
          <li key={i}>
            <div className="timeline-head">
              <strong>{d.title}</strong>
              <span className="muted small">
                {dateTime(e.at, timeZone)} · {actorText(e.actor)}
              </span>
            </div>
            {d.details.length ? (
              <ul className="timeline-details">
                {d.details.map((x, j) => (
                  <li key={j}>{x}</li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

export type DisputeTermsData = NonNullable<RouterOutputs["disputes"]["get"]["terms"]>;

/** The dispute terms of the contract version that judged the lead. */
export function DisputeTerms({ terms, windowClosesAt, timeZone }: { terms: DisputeTermsData | null; windowClosesAt?: string | Date | null; timeZone: string }) {
  if (!terms) return <p className="muted">The lead was not judged by a contract version, so no dispute terms apply.</p>;
  return (
    <dl className="facts stack-narrow">
      <dt>Window</dt>
      <dd>
        {terms.windowDays} days after the lead arrived{windowClosesAt ? ` (closes ${dateTime(windowClosesAt, timeZone)})` : ""}
      </dd>
      <dt>Reasons</dt>
      <dd>{terms.reasons.map(reasonText).join(", ")}</dd>
      <dt>Approved at once</dt>
      <dd>{terms.autoApprove.length ? terms.autoApprove.map(reasonText).join(", ") : "None"}</dd>
      <dt>Agency answers within</dt>
      <dd>{terms.agencyResponseDays} days, else the dispute is approved automatically</dd>
      <dt>Return-rate cap</dt>
      <dd>{terms.maxReturnRateBps >= 10_000 ? "None" : `${terms.maxReturnRateBps / 100}% of the month's billable leads`}</dd>
      {terms.minCallSeconds !== undefined ? (
        <>
          <dt>Calls shorter than</dt>
          <dd>{terms.minCallSeconds} s are approved on evidence</dd>
        </>
      ) : null}
    </dl>
  );
}

/** The agency lead page's small panel: this lead's disputes with links to their review pages. */
export function LeadDisputesPanel({ disputes, timeZone, now, hrefFor }: { disputes: DisputeData[]; timeZone: string; now: string | Date; hrefFor: (id: string) => string }) {
  if (disputes.length === 0) return null;
  return (
    <section className="card" aria-labelledby="lead-disputes-heading">
      <h2 id="lead-disputes-heading" className="card-title">
        Disputes of this lead
      </h2>
      <ul className="lead-disputes">
        {disputes.map((d) => (
          <li key={d.id}>
            <DisputeStatusBadge status={d.status} />{" "}
            <Link to={hrefFor(d.id)} className="strong-link">
              {reasonText(d.reason)}
            </Link>
            <span className="muted small">
              {" "}
              · opened {dateTime(d.openedAt, timeZone)}
              {d.openedBy ? ` by ${d.openedBy}` : ""}
            </span>
            <div className="small">
              {d.status === "open" ? (
                <Countdown dueAt={d.dueAt} timeZone={timeZone} now={now} lead="answer by" />
              ) : (d.creditCents ?? 0) > 0 ? (
                <>Credit {money(d.creditCents)}</>
              ) : (
                <span className="muted">No credit</span>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
