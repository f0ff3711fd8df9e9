import { Form, Link, useSearchParams } from "@remix-run/react";
import { AttributionFilterFields } from "./attribution";
import type { ReactNode } from "react";
import { dateTime, money, phone, reasonLabel, SOURCE_LABEL, STATUS_BADGE } from "~/lib/format";
import { EmptyState } from "./layout";
import type { RouterOutputs } from "~/lib/api";

export type LeadRow = RouterOutputs["leads"]["list"]["items"][number];

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${STATUS_BADGE[status] ?? ""}`}>{status}</span>;
}

/** Filters as a GET form, so every view is a shareable URL and works without JavaScript. */
export function LeadFilters(props: { campaigns?: { id: string; name: string }[]; clients?: { id: string; name: string }[] }) {
  const [params] = useSearchParams();
  return (
    <Form method="get" className="inline" role="search" aria-label="Filter leads">
      {params.get("test") === "1" ? <input type="hidden" name="test" value="1" /> : null}
      {props.clients ? (
        <label>
          Client
          <select name="clientId" defaultValue={params.get("clientId") ?? ""}>
            <option value="">All clients</option>
            {props.clients.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        Search
        <input name="q" type="search" placeholder="Name, phone or e-mail" defaultValue={params.get("q") ?? ""} />
      </label>
      <label>
        Status
        <select name="status" defaultValue={params.get("status") ?? ""}>
          <option value="">Any</option>
          <option value="qualified">Qualified</option>
          <option value="rejected">Rejected</option>
          <option value="received">Awaiting verdict</option>
        </select>
      </label>
      <label>
        Source
        <select name="source" defaultValue={params.get("source") ?? ""}>
          <option value="">Any</option>
          <option value="form">Web form</option>
          <option value="api">Vendor / API</option>
          <option value="call">Phone call</option>
        </select>
      </label>
      <label>
        Quality
        <select name="quality" defaultValue={params.get("quality") ?? ""}>
          <option value="">Any</option>
          <option value="good">Good (80–100)</option>
          <option value="fair">Fair (50–79)</option>
          <option value="poor">Poor (0–49)</option>
        </select>
      </label>
      {props.campaigns && props.campaigns.length > 1 ? (
        <label>
          Campaign
          <select name="campaignId" defaultValue={params.get("campaignId") ?? ""}>
            <option value="">Any</option>
            {props.campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <AttributionFilterFields />
      <button type="submit">Apply</button>
      {[...params.keys()].some((k) => k !== "cursor" && k !== "test") ? (
        <Link to={params.get("test") === "1" ? "?test=1" : "?"} className="button secondary">
          Clear
        </Link>
      ) : null}
    </Form>
  );
}

export function LeadsTable(props: { leads: LeadRow[]; hrefFor: (id: string) => string; showClient?: boolean; timeZone?: string; empty: ReactNode }) {
  if (props.leads.length === 0) return <>{props.empty}</>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Received</th>
            {props.showClient ? <th>Client</th> : null}
            <th>Lead</th>
            <th>Source</th>
            <th>Status</th>
            <th>Why</th>
            <th>Quality</th>
            <th className="num">Billed (net)</th>
          </tr>
        </thead>
        <tbody>
          {props.leads.map((l) => (
            <tr key={l.id}>
              <td>{dateTime(l.receivedAt, props.timeZone ?? l.clientTimezone)}</td>
              {props.showClient ? <td>{l.clientName}</td> : null}
              <td>
                <Link to={props.hrefFor(l.id)}>{l.name || phone(l.phone) || l.email || "Unnamed lead"}</Link>
                <div className="muted">
                  {phone(l.phone)}
                  {l.zip ? ` · ${l.zip}` : ""}
                </div>
              </td>
              <td>
                {SOURCE_LABEL[l.source] ?? l.source}
                <div className="muted">{l.campaignName}</div>
              </td>
              <td>
                <StatusBadge status={l.status} /> {l.outcome ? <StatusBadge status={l.outcome} /> : null} {l.isTest ? <span className="badge">test</span> : null}
              </td>
              <td>
                {l.reasons.length ? <ReasonsInWords reasons={l.reasons} /> : l.status === "qualified" ? "Met every rule" : "—"}
              </td>
              <td>
                <QualityInWords quality={l.quality} />
              </td>
              <td className="num">
                {money(l.chargedCents - l.creditedCents)}
                {l.creditedCents > 0 ? (
                  <div className="muted small">
                    {money(l.chargedCents)} − {money(l.creditedCents)} credit
                  </div>
                ) : null}
                {l.disputeStatus === "open" ? <span className="badge warn">disputed</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Pager({ nextCursor }: { nextCursor: string | null }) {
  const [params] = useSearchParams();
  const hasPrev = params.has("cursor");
  if (!nextCursor && !hasPrev) return null;
  const next = new URLSearchParams(params);
  if (nextCursor) next.set("cursor", nextCursor);
  const first = new URLSearchParams(params);
  first.delete("cursor");
  return (
    <nav aria-label="Pages" style={{ display: "flex", gap: 10, marginTop: 12 }}>
      {hasPrev ? (
        <Link className="button secondary" to={`?${first.toString()}`}>
          ← Newest
        </Link>
      ) : null}
      {nextCursor ? (
        <Link className="button secondary" to={`?${next.toString()}`}>
          Older leads →
        </Link>
      ) : null}
    </nav>
  );
}

export function NoLeads({ filtered, children }: { filtered: boolean; children?: ReactNode }) {
  return filtered ? (
    <EmptyState title="No leads match these filters">Clear the filters or search for something else.</EmptyState>
  ) : (
    <EmptyState title="No leads yet">{children}</EmptyState>
  );
}

/**
 * A rejected lead's reasons: the short label, and for a contract's own requirement the verdict's
 * words ("Budget is missing; it must be at least 2000"), which say what the client agreed to.
 */
function ReasonsInWords({ reasons }: { reasons: { code: string; message: string }[] }) {
  return (
    <>
      {reasons.map((r, i) => (
        <div key={i}>
          {r.code === "CUSTOM_RULE_FAILED" || r.code === "REQUIRED_FIELD_MISSING" || r.code === "SIGNAL_RULE_FAILED" ? (
            sentence(r.message)
          ) : (
            <span title={sentence(r.message)}>{reasonLabel(r.code)}</span>
          )}
        </div>
      ))}
    </>
  );
}

const QUALITY_BADGE: Record<string, string> = { good: "ok", fair: "warn", poor: "bad" };

/** "35 of 100 · poor" with what the intake checks found, in words. */
export function QualityInWords({ quality }: { quality: { score: number; band: string; summary: string } | null }) {
  if (!quality) return <span className="muted">Not checked</span>;
  return (
    <>
      <span className={`badge ${QUALITY_BADGE[quality.band] ?? ""}`}>
        {quality.score} of 100 · {quality.band}
      </span>
      <div className="muted small">{quality.summary}</div>
    </>
  );
}

function sentence(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** Switches a leads page between the real leads and the test leads (test keys; never billed, purged after 7 days). */
export function LeadListTabs() {
  const [params] = useSearchParams();
  const test = params.get("test") === "1";
  return (
    <>
      <nav className="subnav" aria-label="Lead lists">
        <Link to="?" className={test ? undefined : "active"} aria-current={test ? undefined : "page"}>
          Leads
        </Link>
        <Link to="?test=1" className={test ? "active" : undefined} aria-current={test ? "page" : undefined}>
          Test leads
        </Link>
      </nav>
      {test ? (
        <p className="muted">
          Test leads come from test API keys (<code>ll_test_…</code>) and form test keys: judged like real leads, never billed, alerted or counted in reports, and deleted 7
          days after they arrive.
        </p>
      ) : null}
    </>
  );
}
