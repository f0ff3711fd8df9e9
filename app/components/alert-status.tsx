import { dateTimeZoned as dateTime, duration, phone } from "~/lib/format";
import { EmptyState } from "./layout";
import type { RouterOutputs } from "~/lib/api";

/**
 * SMS alerts as people read them: who was texted, where it stands, and — for failures and skips —
 * the readable reason with Twilio's code. `AlertStatusList` takes rows of `alerts.list` as they come
 * (failures first); drop it into a lead page with `alerts.list({ leadId })`.
 */

export type AlertRow = RouterOutputs["alerts"]["list"][number];

const BADGE: Record<string, string> = { delivered: "ok", sent: "info", sending: "info", pending: "", failed: "bad", undelivered: "bad", skipped: "warn" };
const LABEL: Record<string, string> = {
  pending: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  failed: "Failed",
  undelivered: "Undelivered",
  skipped: "Skipped",
};

export function AlertStatusBadge({ status }: { status: string }) {
  return <span className={`badge ${BADGE[status] ?? ""}`}>{LABEL[status] ?? status}</span>;
}

export function isAlertFailure(status: string): boolean {
  return status === "failed" || status === "undelivered";
}

function secondsBetween(a: string | Date, b: string | Date | null): number | null {
  return b ? (new Date(b).getTime() - new Date(a).getTime()) / 1000 : null;
}

/**
 * The alerts of one lead or many. With `clientNames` a client column is shown (agency log); with
 * `leadHref` each row links to its lead.
 */
// eslint-disable-next-line max-lines-per-function -- page markup: one list with its per-status columns
export function AlertStatusList(props: {
  alerts: AlertRow[];
  timezone?: string;
  clientNames?: Record<string, string>;
  leadHref?: (leadId: string) => string;
  emptyTitle?: string;
  caption?: string;
}) {
  const tz = props.timezone ?? "UTC";
  if (props.alerts.length === 0) return <EmptyState title={props.emptyTitle ?? "No alerts"}>Alerts appear here when a qualified lead is texted to the sales team.</EmptyState>;
  return (
    <div className="table-wrap">
      <table className="alert-table phone-cards">
        {props.caption ? <caption className="visually-hidden">{props.caption}</caption> : null}
        <thead>
          <tr>
            <th scope="col">Status</th>
            {props.clientNames ? <th scope="col">Client</th> : null}
            <th scope="col">Recipient</th>
            <th scope="col">Reason / details</th>
            <th scope="col">Lead received</th>
            <th scope="col" className="num">
              Speed
            </th>
          </tr>
        </thead>
        <tbody>
          {props.alerts.map((a) => {
            const failure = isAlertFailure(a.status);
            const toSent = secondsBetween(a.leadReceivedAt, a.sentAt);
            const toDelivered = secondsBetween(a.leadReceivedAt, a.deliveredAt);
            return (
              <tr key={a.id} className={failure ? "alert-failed" : undefined}>
                <td className="stack-head">
                  <div>
                    <AlertStatusBadge status={a.status} />
                    {a.attempts > 1 ? <span className="small muted nowrap"> {a.attempts} attempts</span> : null}
                  </div>
                </td>
                {props.clientNames ? (
                  <td data-label="Client">
                    {props.clientNames[a.clientId] ?? <span className="muted">Unknown client</span>}
                  </td>
                ) : null}
                <td data-label="Recipient">
                  <div>
                    <div>{a.recipientName}</div>
                    <div className="small muted nowrap">{phone(a.toPhone)}</div>
                  </div>
                </td>
                <td className="alert-reason" data-label="Details">
                  <div>
                    {a.errorMessage ? <span className={failure ? "reason-bad" : undefined}>{a.errorMessage}</span> : <span className="muted">{statusDetail(a, tz)}</span>}
                    {a.errorCode !== null ? (
                      <div className="small">
                        Code <span className="mono">{a.errorCode}</span>
                      </div>
                    ) : null}
                    {a.errorMessage && a.failedAt ? <div className="small muted">{dateTime(a.failedAt, tz)}</div> : null}
                    <details className="sms-text small">
                      <summary>
                        {a.status === "skipped" ? "Text (not sent)" : a.status === "pending" || a.status === "sending" ? "Text to send" : "Text sent"}: {a.segments}
                      </summary>
                      <p className="break">{a.body}</p>
                    </details>
                  </div>
                </td>
                <td className="nowrap" data-label="Lead received">
                  {props.leadHref ? <a href={props.leadHref(a.leadId)}>{dateTime(a.leadReceivedAt, tz)}</a> : dateTime(a.leadReceivedAt, tz)}
                </td>
                <td className="num nowrap" data-label="Speed">
                  <div>
                    {toSent !== null ? <div>sent {duration(toSent)}</div> : <span className="muted">—</span>}
                    {toDelivered !== null ? <div className="small muted">delivered {duration(toDelivered)}</div> : null}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function statusDetail(a: AlertRow, tz: string): string {
  if (a.deliveredAt) return `Delivered ${dateTime(a.deliveredAt, tz)}`;
  if (a.sentAt) return `Handed to Twilio ${dateTime(a.sentAt, tz)}`;
  if (a.status === "pending" || a.status === "sending") return `Queued ${dateTime(a.queuedAt, tz)}`;
  return "—";
}
