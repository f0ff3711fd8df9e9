import { Form, Link } from "@remix-run/react";
import { CopyButton } from "~/components/setup";
import { dateTime } from "~/lib/format";
import type { RouterOutputs } from "~/lib/api";

/**
 * "Webhooks & e-mail": a client's webhook endpoints (add, send a test event, enable/disable, rotate
 * the secret, replay failures), their delivery log with one delivery's full request and answers, and
 * who gets notification e-mails. Used by the client portal and the agency console alike.
 */

const WEBHOOK_EVENTS = ["lead.qualified", "lead.rejected", "lead.outcome", "dispute.opened", "dispute.resolved", "invoice.issued"];
const EMAIL_EVENTS: [string, string][] = [
  ["lead.qualified", "New qualified lead"],
  ["dispute.resolved", "Dispute decided"],
  ["invoice.issued", "Invoice issued"],
  ["webhook_endpoint.disabled", "Webhook endpoint disabled"],
];
const BADGE: Record<string, string> = { delivered: "ok", sent: "ok", failed: "bad", pending: "info", sending: "info" };

type Endpoint = RouterOutputs["webhooks"]["list"][number];
type Delivery = RouterOutputs["webhooks"]["deliveries"][number];
type DeliveryDetail = RouterOutputs["webhooks"]["delivery"];
type Recipient = RouterOutputs["emailNotifications"]["recipients"][number];
type Email = RouterOutputs["emailNotifications"]["list"][number];
type When = string | Date;
type Result = { ok: boolean; intent: string; message: string; secret?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> } | undefined;

export function DisabledEndpointsBanner(props: { endpoints: { id: string; url: string; disabledReason: string | null; clientId: string }[]; href: (clientId: string) => string }) {
  if (props.endpoints.length === 0) return null;
  return (
    <div className="alert error" role="alert">
      <strong>Webhook {props.endpoints.length === 1 ? "endpoint" : "endpoints"} disabled:</strong>{" "}
      {props.endpoints.map((e, i) => (
        <span key={e.id}>
          {i > 0 ? "; " : ""}
          <Link to={props.href(e.clientId)}>{e.url}</Link> — {e.disabledReason}
        </span>
      ))}
      . Leads are kept: fix the receiver, enable the endpoint and replay its failed deliveries.
    </div>
  );
}

// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
export function WebhooksManager(props: { endpoints: Endpoint[]; deliveries: Delivery[]; delivery: DeliveryDetail | null; recipients: Recipient[]; emails: Email[]; result: Result; busy: boolean; timezone: string; leadHref: (id: string) => string; captures: boolean }) {
  const { result } = props;
  const fe = (name: string) => (result && !result.ok ? result.fieldErrors?.[name] : undefined);
  const v = (name: string) => (result && !result.ok ? (result.values?.[name] ?? "") : "");
  return (
    <>
      {result ? (
        <p className={result.ok ? "alert success" : "alert error"} role="status">
          {result.message}
        </p>
      ) : null}
      {result?.ok && result.secret ? (
        <div className="card secret-panel">
          <p>
            Signing secret (shown once): <code id="webhook-secret">{result.secret}</code> <CopyButton targetId="webhook-secret" />
          </p>
          <p className="muted small">Verify the `webhook-signature` header with any Standard Webhooks library and this secret.</p>
        </div>
      ) : null}

      <section className="card" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading" className="card-title">
          Webhook endpoints
        </h2>
        {props.endpoints.length === 0 ? <p className="muted">No endpoints yet. Add your CRM's URL below.</p> : null}
        <ul className="plain">
          {props.endpoints.map((e) => (
            <li key={e.id} className="endpoint">
              <p>
                <strong>{e.description || e.url}</strong> <code>{e.url}</code> <span className={`badge ${e.enabled ? "ok" : "bad"}`}>{e.enabled ? "enabled" : "disabled"}</span>
                {e.disabledReason ? <span className="small"> — {e.disabledReason}</span> : null}
              </p>
              <p className="muted small">
                Events: {e.events.join(", ")} · secret {e.secretHint}
                {e.rotating ? " (the previous secret still signs too)" : ""}
              </p>
              <Form method="post" className="actions">
                <input type="hidden" name="id" value={e.id} />
                <button type="submit" name="intent" value="send-test" disabled={props.busy || !e.enabled}>
                  Send test event
                </button>
                <button type="submit" name="intent" value={e.enabled ? "disable" : "enable"} disabled={props.busy}>
                  {e.enabled ? "Disable" : "Enable"}
                </button>
                <button type="submit" name="intent" value="rotate" disabled={props.busy}>
                  Rotate secret
                </button>
                <input type="hidden" name="days" value="3" />
                <button type="submit" name="intent" value="replay-failed" disabled={props.busy || !e.enabled}>
                  Replay failed (3 days)
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post" className="stack" aria-labelledby="add-endpoint-heading">
          <h3 id="add-endpoint-heading">Add an endpoint</h3>
          <input type="hidden" name="intent" value="create" />
          <label>
            URL
            <input name="url" type="url" required defaultValue={v("url")} placeholder="https://crm.example.com/hooks/leadledger" aria-invalid={fe("url") ? true : undefined} aria-describedby={fe("url") ? "url-error" : undefined} />
          </label>
          {fe("url") ? (
            <p id="url-error" className="field-error">
              {fe("url")}
            </p>
          ) : null}
          <label>
            Description
            <input name="description" defaultValue={v("description")} placeholder="HubSpot" />
          </label>
          <fieldset>
            <legend>Events</legend>
            {WEBHOOK_EVENTS.map((ev) => (
              <label key={ev} className="checkbox">
                <input type="checkbox" name="events" value={ev} defaultChecked /> {ev}
              </label>
            ))}
          </fieldset>
          <label>
            Field mapping (optional JSON)
            <textarea
              name="fieldMapping"
              rows={3}
              defaultValue={v("fieldMapping")}
              placeholder='{"rename":[{"from":"data.lead.contact.firstName","to":"first_name"},{"from":"data.lead.contact.phone","to":"phone_number"}],"constants":{"source":"leadledger"}}'
            />
          </label>
          {fe("fieldMapping") ? <p className="field-error">Field mapping: {fe("fieldMapping")}</p> : null}
          <button type="submit" disabled={props.busy}>
            Add endpoint
          </button>
        </Form>
      </section>

      <section className="card" aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading" className="card-title">
          Deliveries
        </h2>
        {props.deliveries.length === 0 ? (
          <p className="muted">Nothing delivered yet.</p>
        ) : (
          <table className="table">
            <caption className="visually-hidden">Recent webhook deliveries</caption>
            <thead>
              <tr>
                <th>When</th>
                <th>Event</th>
                <th>Endpoint</th>
                <th>Status</th>
                <th>Attempts</th>
                <th>Answer</th>
                <th>Next retry</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {props.deliveries.map((d) => (
                <tr key={d.id}>
                  <td>{dateTime(d.createdAt, props.timezone)}</td>
                  <td>
                    {d.eventType}
                    {d.leadId ? (
                      <>
                        {" "}
                        <Link to={props.leadHref(d.leadId)}>lead</Link>
                      </>
                    ) : null}
                  </td>
                  <td>{d.endpointDescription || d.endpointUrl}</td>
                  <td>
                    <span className={`badge ${BADGE[d.status] ?? "info"}`}>{d.status}</span>
                  </td>
                  <td>{d.attempts}</td>
                  <td>
                    {d.lastStatus ?? "—"}
                    {d.lastDurationMs != null ? ` · ${(d.lastDurationMs / 1000).toFixed(1)} s` : ""}
                    {d.lastError && d.status !== "delivered" ? <span className="small muted"> {d.lastError}</span> : null}
                  </td>
                  <td>{d.status === "pending" && d.attempts > 0 ? dateTime(d.nextAttemptAt, props.timezone) : "—"}</td>
                  <td>
                    <Link to={`?delivery=${d.id}`}>Details</Link>{" "}
                    <Form method="post" className="row-actions">
                      <input type="hidden" name="id" value={d.id} />
                      <button type="submit" name="intent" value="replay" className="linkbtn" disabled={props.busy || d.status === "sending"}>
                        Replay
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {props.delivery ? <DeliveryDetailView d={props.delivery} timezone={props.timezone} /> : null}
      </section>

      <section className="card" aria-labelledby="emails-heading">
        <h2 id="emails-heading" className="card-title">
          E-mail notifications
        </h2>
        <ul className="plain">
          {props.recipients.map((r) => (
            <li key={r.id}>
              <Form method="post" className="row-actions">
                {r.email} — {r.events.join(", ")} <input type="hidden" name="id" value={r.id} />
                <button type="submit" name="intent" value="remove-email" className="linkbtn" disabled={props.busy}>
                  Remove
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="add-email" />
          <label>
            E-mail address
            <input name="email" type="email" required defaultValue={v("email")} />
          </label>
          {fe("email") ? <p className="field-error">{fe("email")}</p> : null}
          <fieldset>
            <legend>Send</legend>
            {EMAIL_EVENTS.map(([ev, label]) => (
              <label key={ev} className="checkbox">
                <input type="checkbox" name="emailEvents" value={ev} defaultChecked /> {label}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={props.busy}>
            Add recipient
          </button>
        </Form>
        <h3>Recent e-mails</h3>
        {props.captures ? <p className="muted small">No SMTP server is configured (SMTP_URL): e-mails are captured here instead of sent.</p> : null}
        {props.emails.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ul className="plain">
            {props.emails.map((m) => (
              <li key={m.id}>
                <details>
                  <summary>
                    {dateTime(m.createdAt, props.timezone)} · {m.toAddress} · {m.subject ?? m.eventType} · <span className={`badge ${BADGE[m.status] ?? "info"}`}>{m.captured ? "captured" : m.status}</span>
                    {m.lastError && m.status !== "sent" ? ` · ${m.lastError}` : ""}
                  </summary>
                  <pre className="small">{m.textBody ?? "(not rendered yet)"}</pre>
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function DeliveryDetailView({ d, timezone }: { d: DeliveryDetail; timezone: string }) {
  return (
    <div className="delivery-detail" aria-label="Delivery details">
      <h3>
        {d.eventType} to {d.endpointUrl} · webhook-id <code>{d.messageId}</code>
      </h3>
      {d.attemptsLog.length === 0 ? <p className="muted">Not attempted yet.</p> : null}
      {d.attemptsLog.map((a) => (
        <details key={a.attempt} open={a.attempt === d.attemptsLog.length}>
          <summary>
            Attempt {a.attempt} · {dateTime(a.startedAt, timezone)} · {a.responseStatus ?? a.error ?? "no answer"} · {a.durationMs} ms
            {a.nextRetryAt ? ` · next retry ${dateTime(a.nextRetryAt, timezone)}` : ""}
          </summary>
          <p className="small">Request headers</p>
          <pre className="small">{Object.entries(a.requestHeaders).map(([k, v]) => `${k}: ${v}`).join("\n")}</pre>
          <p className="small">Request body</p>
          <pre className="small">{a.requestBody}</pre>
          <p className="small">Response {a.responseStatus ?? ""}</p>
          <pre className="small">{a.responseBody ?? a.error ?? ""}</pre>
        </details>
      ))}
    </div>
  );
}

/** On a lead's page: where the lead was delivered, how fast after it arrived, and the answer ("delivered to HubSpot 0.4 s after arrival · 200"). */
export function LeadDeliveries(props: { deliveries: (Delivery & { deliveredAt: When | null; leadReceivedAt: When | null })[]; manageHref?: string }) {
  if (props.deliveries.length === 0) return null;
  const seconds = (a: When, b: When) => ((new Date(a).getTime() - new Date(b).getTime()) / 1000).toFixed(1);
  return (
    <section className="card" aria-labelledby="lead-deliveries-heading">
      <h2 id="lead-deliveries-heading" className="card-title">
        Delivered to your systems
      </h2>
      <ul className="plain">
        {props.deliveries.map((d) => (
          <li key={d.id}>
            {d.status === "delivered" && d.deliveredAt && d.leadReceivedAt ? (
              <>
                {d.eventType}: delivered to {d.endpointDescription || d.endpointUrl} {seconds(d.deliveredAt, d.leadReceivedAt)} s after arrival · {d.lastStatus}
              </>
            ) : (
              <>
                {d.eventType}: <span className={`badge ${BADGE[d.status] ?? "info"}`}>{d.status}</span> to {d.endpointDescription || d.endpointUrl} after {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
                {d.lastError ? ` · ${d.lastError}` : ""}
              </>
            )}
            {props.manageHref ? (
              <>
                {" "}
                · <Link to={`${props.manageHref}?delivery=${d.id}`}>details</Link>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
