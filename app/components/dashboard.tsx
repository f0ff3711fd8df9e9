import { Link, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { RouterOutputs } from "~/lib/api";
import { money } from "~/lib/format";

/**
 * Pieces of the agency delivery dashboard and the reports page: pure display helpers (tested),
 * the pacing bar, the leads-per-day chart (inline SVG, no chart library) and the auto refresh.
 * Shapes are what `reports.delivery` and `reports.leadsPerDay` return.
 */

type DeliveryReport = RouterOutputs["reports"]["delivery"];
export type DeliveryRowView = DeliveryReport["rows"][number];
export type PacingView = DeliveryRowView["pacing"];
export type PacingStatus = PacingView["status"];
export type DayView = RouterOutputs["reports"]["leadsPerDay"]["days"][number];

// ---------------------------------------------------------------------------------------------
// Display helpers

/** 1250 bps → "12.5%"; null → "—". */
export function pct(bps: number | null | undefined): string {
  if (bps === null || bps === undefined) return "—";
  const v = bps / 100;
  return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}%`;
}

export function shortDay(v: string | Date, timeZone: string): string {
  return new Date(v).toLocaleDateString("en-US", { timeZone, month: "short", day: "numeric" });
}

function capAmount(p: PacingView, n: number, currency: string): string {
  return p.kind === "spend" ? money(n, currency) : n.toLocaleString("en-US");
}

/** The plain-words pacing line: "At this pace the 200-lead cap runs out on Nov 24." / "On pace for 120 of 200 leads." */
export function pacingSentence(p: PacingView, opts: { currency: string; timeZone: string }): string {
  if (p.status === "no_cap" || p.cap === null) {
    return p.projected > 0 ? `No monthly cap. On pace for ${p.projected.toLocaleString("en-US")} billable leads.` : "No monthly cap in the contract.";
  }
  const capLabel = p.kind === "spend" ? `${money(p.cap, opts.currency)} spend cap` : `${p.cap.toLocaleString("en-US")}-lead cap`;
  if (p.capReached) return `The ${capLabel} is used up; further leads this month are not billed.`;
  if (p.status === "too_early") return `${capAmount(p, p.used, opts.currency)} of the ${capLabel} used; too early in the month for a projection.`;
  if (p.status === "will_exhaust_early" && p.exhaustsAt) return `At this pace the ${capLabel} runs out on ${shortDay(p.exhaustsAt, opts.timeZone)}.`;
  const unit = p.kind === "spend" ? "" : " leads";
  return `On pace for ${capAmount(p, p.projected, opts.currency)} of ${capAmount(p, p.cap, opts.currency)}${unit}.`;
}

export function pacingBadge(p: PacingView): { label: string; tone: "ok" | "warn" | "bad" | "" } {
  if (p.status === "no_cap") return { label: "No cap", tone: "" };
  if (p.capReached) return { label: "Cap reached", tone: "bad" };
  if (p.status === "will_exhaust_early") return { label: "Runs out early", tone: "warn" };
  if (p.status === "will_fall_short") return { label: "Falling short", tone: "warn" };
  if (p.status === "too_early") return { label: "Too early to tell", tone: "" };
  return { label: "On track", tone: "ok" };
}

// ---------------------------------------------------------------------------------------------
// Sorting and search (query string: ?q=&sort=&dir=)

export const SORTS = {
  name: "Client",
  leads: "Leads this month",
  qualified_rate: "Qualified rate",
  billed: "Billed for this month",
  pacing: "Pacing",
  dispute_rate: "Dispute rate",
} as const;
export type SortKey = keyof typeof SORTS;

export function parseSort(params: URLSearchParams): { sort: SortKey; dir: "asc" | "desc" } {
  const s = params.get("sort") ?? "";
  const sort: SortKey = s in SORTS ? (s as SortKey) : "name";
  const d = params.get("dir");
  const dir = d === "asc" || d === "desc" ? d : sort === "name" ? "asc" : "desc";
  return { sort, dir };
}

function sortValue(r: DeliveryRowView, sort: SortKey): number | string {
  switch (sort) {
    case "name":
      return r.clientName.toLowerCase();
    case "leads":
      return r.month.leads;
    case "qualified_rate":
      return r.month.qualifiedRateBps ?? -1;
    case "billed":
      return r.month.billedCents;
    case "pacing":
      // share of the cap projected to be used; clients without a cap last.
      return r.pacing.projectedBps ?? -1;
    case "dispute_rate":
      return r.month.disputeRateBps ?? -1;
  }
}

export function sortAndFilter<T extends DeliveryRowView>(rows: T[], opts: { q?: string | null; sort: SortKey; dir: "asc" | "desc" }): T[] {
  const q = (opts.q ?? "").trim().toLowerCase();
  const found = q ? rows.filter((r) => r.clientName.toLowerCase().includes(q)) : rows;
  const sign = opts.dir === "asc" ? 1 : -1;
  return [...found].sort((a, b) => {
    const x = sortValue(a, opts.sort);
    const y = sortValue(b, opts.sort);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return c !== 0 ? c * sign : a.clientName.localeCompare(b.clientName);
  });
}

/** A column header that sorts by `sort` (toggles direction when already sorted by it). */
export function SortHeader(props: { sort: SortKey; label?: string; className?: string }) {
  const [params] = useSearchParams();
  const cur = parseSort(params);
  const active = cur.sort === props.sort;
  const next = new URLSearchParams(params);
  next.set("sort", props.sort);
  next.set("dir", active ? (cur.dir === "asc" ? "desc" : "asc") : props.sort === "name" ? "asc" : "desc");
  return (
    <th className={props.className} aria-sort={active ? (cur.dir === "asc" ? "ascending" : "descending") : "none"} scope="col">
      <Link to={`?${next.toString()}`} className="sort-link" preventScrollReset>
        {props.label ?? SORTS[props.sort]}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (cur.dir === "asc" ? " ▲" : " ▼") : ""}
        </span>
      </Link>
    </th>
  );
}

// ---------------------------------------------------------------------------------------------
// Pacing bar

export function PacingBar({ pacing, currency, timeZone }: { pacing: PacingView; currency: string; timeZone: string }) {
  const badge = pacingBadge(pacing);
  const sentence = pacingSentence(pacing, { currency, timeZone });
  if (pacing.cap === null) {
    return (
      <div className="pacing">
        <span className="badge">{badge.label}</span>
        <div className="muted small">{sentence}</div>
      </div>
    );
  }
  const used = Math.min(100, (pacing.usedBps ?? 0) / 100);
  const projected = Math.min(100, (pacing.projectedBps ?? 0) / 100);
  const elapsed = Math.min(100, pacing.monthElapsedBps / 100);
  return (
    <div className="pacing">
      <div className="pacing-head">
        <span className={`badge ${badge.tone}`}>{badge.label}</span>
        <span className="muted small">
          {capAmount(pacing, pacing.used, currency)} of {capAmount(pacing, pacing.cap, currency)}
        </span>
      </div>
      <div
        className={`meter ${badge.tone}`}
        role="progressbar"
        aria-label={`Cap used: ${capAmount(pacing, pacing.used, currency)} of ${capAmount(pacing, pacing.cap, currency)}`}
        aria-valuemin={0}
        aria-valuemax={pacing.cap}
        aria-valuenow={Math.min(pacing.used, pacing.cap)}
      >
        <span className="meter-projected" style={{ width: `${projected}%` }} />
        <span className="meter-used" style={{ width: `${used}%` }} />
        <span className="meter-today" style={{ left: `${elapsed}%` }} title="Today" />
      </div>
      <div className={badge.tone === "ok" || badge.tone === "" ? "muted small" : "pacing-warning small"}>{sentence}</div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Leads per day: stacked bars drawn as inline SVG, with a visually hidden table for screen readers.

const SERIES = [
  { key: "qualified", label: "Qualified", className: "bar-qualified" },
  { key: "rejected", label: "Rejected", className: "bar-rejected" },
  { key: "received", label: "Awaiting verdict", className: "bar-received" },
] as const;

function niceMax(n: number): number {
  if (n <= 4) return 4;
  const pow = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= n) return m * pow;
  return 10 * pow;
}

function dayLabel(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString("en-US", { timeZone: "UTC", month: "short", day: "numeric" });
}

// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
export function LeadsPerDayChart({ days, title }: { days: DayView[]; title: string }) {
  const W = 720;
  const H = 220;
  const pad = { l: 40, r: 8, t: 12, b: 30 };
  const innerW = W - pad.l - pad.r;
  const innerH = H - pad.t - pad.b;
  const max = niceMax(Math.max(0, ...days.map((d) => d.qualified + d.rejected + d.received)));
  const slot = innerW / Math.max(1, days.length);
  const barW = Math.max(2, slot * 0.72);
  const y = (v: number) => pad.t + innerH - (v / max) * innerH;
  const ticks = [0, max / 2, max];
  const labelEvery = days.length > 20 ? 7 : days.length > 10 ? 3 : 1;
  const total = days.reduce((n, d) => n + d.qualified + d.rejected + d.received, 0);
  return (
    <figure className="chart">
      <div className="chart-legend" aria-hidden="true">
        {SERIES.map((s) => (
          <span key={s.key}>
            <i className={`swatch ${s.className}`} /> {s.label}
          </span>
        ))}
      </div>
      <div className="chart-scroll">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="leads-chart-title leads-chart-desc" className="chart-svg">
          <title id="leads-chart-title">{title}</title>
          <desc id="leads-chart-desc">
            {total} leads from {days[0] ? dayLabel(days[0].day) : ""} to {days.length ? dayLabel(days[days.length - 1]!.day) : ""}, stacked by status. The same figures are in the table below the chart.
          </desc>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={pad.l} x2={W - pad.r} y1={y(t)} y2={y(t)} className="chart-grid" />
              <text x={pad.l - 6} y={y(t) + 4} textAnchor="end" className="chart-axis">
                {Number.isInteger(t) ? t : t.toFixed(1)}
              </text>
            </g>
          ))}
          {days.map((d, i) => {
            const x = pad.l + i * slot + (slot - barW) / 2;
            let base = 0;
            return (
              <g key={d.day}>
                <title>{`${dayLabel(d.day)}: ${d.qualified} qualified, ${d.rejected} rejected, ${d.received} awaiting verdict`}</title>
                {SERIES.map((s) => {
                  const v = d[s.key];
                  if (v === 0) return null;
                  const top = y(base + v);
                  const h = y(base) - top;
                  base += v;
                  return <rect key={s.key} x={x} y={top} width={barW} height={Math.max(1, h)} className={s.className} />;
                })}
                {(days.length - 1 - i) % labelEvery === 0 ? (
                  <text x={i === days.length - 1 ? x + barW : x + barW / 2} y={H - 8} textAnchor={i === days.length - 1 ? "end" : "middle"} className="chart-axis">
                    {dayLabel(d.day)}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </div>
      <div className="visually-hidden">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {SERIES.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <th scope="row">{dayLabel(d.day)}</th>
              <td>{d.qualified}</td>
              <td>{d.rejected}</td>
              <td>{d.received}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}

// ---------------------------------------------------------------------------------------------
// Auto refresh: revalidate the page's loaders every `ms` while the tab is visible.

export function useAutoRefresh(ms = 10_000): { refreshing: boolean; refresh(): void } {
  const revalidator = useRevalidator();
  const ref = useRef(revalidator);
  ref.current = revalidator;
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState === "visible" && ref.current.state === "idle") ref.current.revalidate();
    };
    const id = window.setInterval(tick, ms);
    const onVisible = () => {
      if (document.visibilityState === "visible") tick();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(id);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [ms]);
  return { refreshing: revalidator.state === "loading", refresh: () => revalidator.revalidate() };
}

/** "Updated 10:42:13" in the viewer's own clock (rendered after hydration; the server shows UTC). */
export function UpdatedAt({ at }: { at: string | Date }) {
  const [local, setLocal] = useState(false);
  useEffect(() => setLocal(true), []);
  const d = new Date(at);
  const text = local
    ? d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" })
    : `${d.toLocaleTimeString("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", second: "2-digit" })} UTC`;
  return <time dateTime={d.toISOString()}>{text}</time>;
}
