import type { ReactNode } from "react";
import { dateOnly, dateTime, dateTimeZoned } from "~/lib/format";
import { EmptyState } from "./layout";
import type { RouterOutputs } from "~/lib/api";

/**
 * How a contract is shown to people, in the agency console and in the client portal alike:
 * the plain-English lines of a version and the version history with what changed.
 */

export type VersionStatus = "in_force" | "scheduled" | "superseded";

/** The version in force or the next one, as `contracts.get` describes it. */
export type VersionView = Pick<NonNullable<NonNullable<RouterOutputs["contracts"]["get"]>["current"]>, "id" | "version" | "effectiveFrom" | "description" | "createdAt">;
export type HistoryRow = Pick<RouterOutputs["contracts"]["history"][number], "id" | "version" | "effectiveFrom" | "createdAt" | "changes"> & { status: VersionStatus };

/** Each version's standing at `at`: the one in force, the ones waiting for their date, the ones replaced. */
export function versionStatuses<T extends { version: number; effectiveFrom: string | Date }>(versions: T[], inForceVersion: number | null, at: Date): (T & { status: VersionStatus })[] {
  return versions.map((v) => ({
    ...v,
    status: v.version === inForceVersion ? "in_force" : new Date(v.effectiveFrom).getTime() > at.getTime() ? "scheduled" : "superseded",
  }));
}

const STATUS_LABEL: Record<VersionStatus, { text: string; badge: string }> = {
  in_force: { text: "In force", badge: "ok" },
  scheduled: { text: "Scheduled", badge: "info" },
  superseded: { text: "Replaced", badge: "" },
};

export function VersionBadge({ status }: { status: VersionStatus }) {
  const s = STATUS_LABEL[status];
  return <span className={`badge ${s.badge}`}>{s.text}</span>;
}

/** The "Reads as" list: one plain-English line per rule or term. */
export function ReadsAs(props: { lines: string[]; title?: string; headingLevel?: 2 | 3 }) {
  const H = props.headingLevel === 2 ? "h2" : "h3";
  return (
    <section className="reads-as" aria-label={props.title ?? "Reads as"}>
      <H className="reads-as-title">{props.title ?? "Reads as"}</H>
      <ul>
        {props.lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </section>
  );
}

/**
 * When a version really took over: its publish time when it was published with an earlier
 * effective date (it then also judged the leads from that date on that were still unjudged).
 */
function InForceSince({ version, timeZone }: { version: VersionView; timeZone: string }) {
  const published = new Date(version.createdAt);
  const effective = new Date(version.effectiveFrom);
  if (effective.getTime() >= published.getTime()) return <>in force since {dateTimeZoned(effective, timeZone)}</>;
  return (
    <>
      in force since it was published {dateTimeZoned(published, timeZone)} (written to apply from {dateTimeZoned(effective, timeZone)})
    </>
  );
}

/** The version in force (and the next one, if scheduled) with its plain-English terms. */
export function ContractInForce(props: { current: VersionView | null; next: VersionView | null; timeZone: string; empty: ReactNode }) {
  const { current, next, timeZone } = props;
  if (!current && !next) return <>{props.empty}</>;
  return (
    <>
      {current ? (
        <>
          <p className="version-line">
            <strong>Version {current.version}</strong> <VersionBadge status="in_force" />{" "}
            <span className="muted">
              <InForceSince version={current} timeZone={timeZone} />
            </span>
          </p>
          <ReadsAs lines={current.description} />
        </>
      ) : (
        <div className="alert info" role="status">
          No version is in force yet: leads received before {dateTime(next!.effectiveFrom, timeZone)} cannot be judged.
        </div>
      )}
      {next ? (
        <details className="next-version" open={!current}>
          <summary>
            <strong>Version {next.version}</strong> takes effect {dateTime(next.effectiveFrom, timeZone)} ({timeZone})
          </summary>
          <ReadsAs lines={next.description} />
        </details>
      ) : null}
    </>
  );
}

/** Every version, newest first, with its effective date and what changed from the one before. */
export function VersionHistory(props: { versions: HistoryRow[]; timeZone: string; emptyText: ReactNode }) {
  if (props.versions.length === 0) return <EmptyState title="No versions yet">{props.emptyText}</EmptyState>;
  return (
    <ol className="version-list">
      {props.versions.map((v) => (
        <li key={v.id} aria-label={`Version ${v.version}`}>
          <div className="version-head">
            <strong>Version {v.version}</strong> <VersionBadge status={v.status} />
            <span className="muted small">
              Effective {dateTime(v.effectiveFrom, props.timeZone)} · published {dateOnly(v.createdAt, props.timeZone)}
            </span>
          </div>
          <ul className="change-list">
            {v.changes.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

/** The contract pages' "in force" card: its heading and ContractInForce. */
export function InForceCard(props: { title: string; current: VersionView | null; next: VersionView | null; timeZone: string; empty: ReactNode }) {
  return (
    <section className="card" aria-labelledby="in-force-heading">
      <h2 id="in-force-heading" className="card-title">
        {props.title}
      </h2>
      <ContractInForce current={props.current} next={props.next} timeZone={props.timeZone} empty={props.empty} />
    </section>
  );
}

/** The contract pages' "Version history" card. */
export function HistoryCard(props: { versions: HistoryRow[]; timeZone: string; emptyText: ReactNode }) {
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading" className="card-title">
        Version history
      </h2>
      <VersionHistory versions={props.versions} timeZone={props.timeZone} emptyText={props.emptyText} />
    </section>
  );
}
