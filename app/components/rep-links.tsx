import { Form } from "@remix-run/react";
import type { RouterOutputs } from "~/lib/api";
import { dateTime, phone } from "~/lib/format";
import { EmptyState } from "./layout";
import { FormMessage } from "./setup";

/**
 * The console's view of a lead's rep links (decision 024): who got one, until when it works,
 * whether it was opened, and a revoke button per link and for all of them.
 */

export type RepLinkRow = RouterOutputs["alerts"]["repLinks"][number];

const STATE: Record<RepLinkRow["state"], { label: string; badge: string }> = {
  active: { label: "Active", badge: "ok" },
  expired: { label: "Expired", badge: "" },
  revoked: { label: "Revoked", badge: "warn" },
};

export function RepLinks(props: { links: RepLinkRow[]; timeZone: string; result: { ok: boolean; message: string } | undefined; busy: boolean }) {
  const { links, timeZone: tz, result } = props;
  const active = links.filter((l) => l.state === "active").length;
  return (
    <section className="card" aria-labelledby="rep-links-heading">
      <h2 id="rep-links-heading" className="card-title">
        Sales reps&apos; links
      </h2>
      <p className="muted small">Each alert carries its own link to a read-only card of this lead, opened without signing in. Revoke a link that reached the wrong phone.</p>
      {result ? <FormMessage success={result.ok ? result.message : undefined} failure={result.ok ? null : result} /> : null}
      {links.length === 0 ? (
        <EmptyState title="No links">Links are made when an alert is queued for a rep.</EmptyState>
      ) : (
        <ul className="recipient-list" aria-label="Rep links">
          {links.map((l) => (
            <li key={l.id} aria-label={`${l.recipientName}'s link`}>
              <div className="recipient-head">
                <div>
                  <strong>{l.recipientName}</strong> <span className="small muted nowrap">{phone(l.toPhone)}</span>
                  <div className="small muted">
                    {l.state === "revoked"
                      ? `Revoked ${dateTime(l.revokedAt, tz)}${l.revokedBy ? ` by ${l.revokedBy}` : ""}`
                      : `${l.state === "active" ? "Works until" : "Expired"} ${dateTime(l.expiresAt, tz)}`}
                    {" · "}
                    {l.lastOpenedAt ? `last opened ${dateTime(l.lastOpenedAt, tz)}` : "not opened"}
                  </div>
                </div>
                <div className="recipient-badges">
                  <span className={`badge ${STATE[l.state].badge}`}>{STATE[l.state].label}</span>
                  {l.state === "active" ? (
                    <Form method="post" preventScrollReset>
                      <input type="hidden" name="intent" value="revoke-link" />
                      <input type="hidden" name="id" value={l.id} />
                      <button type="submit" className="secondary small-btn" disabled={props.busy} aria-label={`Revoke ${l.recipientName}'s link`}>
                        Revoke
                      </button>
                    </Form>
                  ) : null}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      {active > 1 ? (
        <Form method="post" preventScrollReset className="actions">
          <input type="hidden" name="intent" value="revoke-all-links" />
          <button type="submit" className="secondary" disabled={props.busy}>
            Revoke all {active} links of this lead
          </button>
        </Form>
      ) : null}
    </section>
  );
}
