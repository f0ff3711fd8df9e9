import { Form, Link, useSearchParams } from "@remix-run/react";
import { AttributionFilterFields } from "./attribution";
import type { ReactNode } from "react";
import { dateTime, dateTimeZoned, money, phone, reasonLabel, SOURCE_LABEL, STATUS_BADGE, titleCase } from "~/lib/format";
import { filterQuery, isFiltered } from "~/lib/lead-filters";
import { DISPUTE_STATUS } from "./dispute";
import { EmptyState } from "./layout";
import type { RouterOutputs } from "~/lib/api";

export type LeadRow = RouterOutputs["leads"]["list"]["items"][number];

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${STATUS_BADGE[status] ?? ""}`}>{status}</span>;
}

/** Filters as a GET form, so every view is a shareable URL and works without JavaScript (the fields are app/lib/lead-filters.ts). */
export function LeadFilters(props: { campaigns?: { id: string; name: string }[]; clients?: { id: string; name: string }[] }) {
  const [params] = useSearchParams();
  return (
    <Form method="get" className="inline lead-filters" role="search" aria-label="Filter leads">
      {params.get("test") === "1" ? <input type="hidden" name="test" value="1" /> : null}
      {props.clients ? <Choice name="clientId" label="Client" any="All clients" options={props.clients.map((c) => [c.id, c.name])} /> : null}
      <label>
        Search
        <input name="q" type="search" placeholder="Name, phone or e-mail" defaultValue={params.get("q") ?? ""} />
      </label>
      <label>
        From
        <input name="from" type="date" defaultValue={params.get("from") ?? ""} />
      </label>
      <label>
        To
        <input name="to" type="date" defaultValue={params.get("to") ?? ""} />
      </label>
      <Choice name="status" label="Status" options={[["qualified", "Qualified"], ["rejected", "Rejected"], ["received", "Awaiting verdict"]]} />
      <Choice name="outcome" label="Outcome" options={[["none", "Not marked yet"], ["won", "Won"], ["lost", "Lost"]]} />
      <Choice name="disputed" label="Disputed" options={[["yes", "Disputed"], ["no", "Not disputed"]]} />
      <Choice name="source" label="Source" options={Object.entries(SOURCE_LABEL)} />
      {props.campaigns && props.campaigns.length > 1 ? <Choice name="campaignId" label="Campaign" options={props.campaigns.map((c) => [c.id, c.name])} /> : null}
      <Choice name="quality" label="Quality" options={[["good", "Good (80–100)"], ["fair", "Fair (50–79)"], ["poor", "Poor (0–49)"]]} />
      <AttributionFilterFields />
      <button type="submit">Apply</button>
      {isFiltered(params) ? (
        <Link to={params.get("test") === "1" ? "?test=1" : "?"} className="button secondary">
          Clear
        </Link>
      ) : null}
    </Form>
  );
}

/** One filter's select: "Any" (no filter) and the given [value, label] choices; the current value from the URL. */
function Choice(props: { name: string; label: string; options: [string, string][]; any?: string }) {
  const [params] = useSearchParams();
  return (
    <label>
      {props.label}
      <select name={props.name} defaultValue={params.get(props.name) ?? ""}>
        <option value="">{props.any ?? "Any"}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** "Download CSV" of exactly the leads the filters match (every page). */
export function LeadsCsvLink({ base }: { base: string }) {
  const [params] = useSearchParams();
  return (
    <a className="button secondary" href={`${base}.csv${filterQuery(params)}`} download>
      Download CSV
    </a>
  );
}

const BULK_FORM = "bulk-outcome";

/**
 * Bulk "mark won / mark lost" for the ticked rows (the checkboxes belong to this form through their
 * `form` attribute, so the table stays one table); the result of the last run above the buttons.
 */
export function BulkOutcomeBar(props: { result: BulkOutcomeResult | null; busy: boolean }) {
  const r = props.result;
  return (
    <Form method="post" id={BULK_FORM} className="bulk-bar no-print" aria-label="Mark the ticked leads">
      <input type="hidden" name="intent" value="bulk-outcome" />
      <span className="muted">Ticked leads:</span>
      <button type="submit" name="outcome" value="won" className="secondary" disabled={props.busy}>
        Mark won
      </button>
      <button type="submit" name="outcome" value="lost" className="secondary" disabled={props.busy}>
        Mark lost
      </button>
      {r ? (
        <div role="status" className={`alert ${r.ok ? "success" : "error"} bulk-result`}>
          {r.message}
          {r.ok && r.skipped.length ? (
            <ul className="skipped">
              {r.skipped.map((s) => (
                <li key={s.leadId}>
                  {s.label}: {s.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </Form>
  );
}

export type BulkOutcomeResult = { ok: true; message: string; skipped: { leadId: string; label: string; message: string }[] } | { ok: false; message: string };

export function LeadsTable(props: { leads: LeadRow[]; hrefFor: (id: string) => string; showClient?: boolean; timeZone?: string; empty: ReactNode; selectable?: boolean }) {
  if (props.leads.length === 0) return <>{props.empty}</>;
  const zoneOf = (l: LeadRow) => props.timeZone ?? l.clientTimezone;
  // Where clients' zones mix on one page, every time says which zone it is in.
  const mixed = new Set(props.leads.map(zoneOf)).size > 1;
  return (
    <div className="table-wrap">
      <table className="phone-cards leads-table">
        <thead>
          <tr>
            {props.selectable ? (
              <th className="check-cell">
                <span className="visually-hidden">Select</span>
              </th>
            ) : null}
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
          {props.leads.map((l) => {
            const name = titleCase(l.name) || phone(l.phone) || l.email || "Unnamed lead";
            return (
              <tr key={l.id}>
                {props.selectable ? (
                  <td className="check-cell stack-actions">
                    <input type="checkbox" name="leadId" value={l.id} form={BULK_FORM} aria-label={`Select ${name}`} disabled={l.isTest} />
                  </td>
                ) : null}
                <td data-label="Received" className="nowrap">
                  {mixed ? dateTimeZoned(l.receivedAt, zoneOf(l)) : dateTime(l.receivedAt, zoneOf(l))}
                </td>
                {props.showClient ? <td data-label="Client">{l.clientName}</td> : null}
                <td data-label="Lead" className="lead-cell">
                  <Link to={props.hrefFor(l.id)}>{name}</Link>
                  <div className="muted">
                    <span className="nowrap">{phone(l.phone)}</span>
                    {l.zip ? ` · ${l.zip}` : ""}
                  </div>
                </td>
                <td data-label="Source">
                  {SOURCE_LABEL[l.source] ?? l.source}
                  <div className="muted">{l.campaignName}</div>
                </td>
                <td data-label="Status">
                  <span className="badges">
                    <StatusBadge status={l.status} /> {l.outcome ? <StatusBadge status={l.outcome} /> : null} {l.isTest ? <span className="badge">test</span> : null}{" "}
                    <DisputeBadge status={l.disputeStatus} />
                  </span>
                </td>
                <td data-label="Why" className="why-cell">
                  {l.reasons.length ? <ReasonsInWords reasons={l.reasons} /> : l.status === "qualified" ? "Met every rule" : "—"}
                </td>
                <td data-label="Quality">
                  <QualityInWords quality={l.quality} />
                </td>
                <td data-label="Billed (net)" className="num">
                  <span>
                    {money(l.chargedCents - l.creditedCents)}
                    {l.creditedCents > 0 ? (
                      <span className="muted small block">
                        {money(l.chargedCents)} − {money(l.creditedCents)} credit
                      </span>
                    ) : null}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** "disputed" while the agency decides; afterwards what came of it. */
function DisputeBadge({ status }: { status: string | null }) {
  if (!status) return null;
  if (status === "open") return <span className="badge warn">disputed</span>;
  const s = DISPUTE_STATUS[status];
  return <span className={`badge ${s?.badge ?? ""}`}>dispute {(s?.label ?? status).toLowerCase()}</span>;
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
