import { Form, Link } from "@remix-run/react";
import { dateOnly } from "~/lib/format";
import { EmptyState, FieldError } from "./layout";
import { CopyButton, errorFor, FormMessage, invalidProps, type SetupFailure } from "./setup";
import type { RouterOutputs } from "~/lib/api";

/** Campaigns and their web forms: the list, the editors and a form's embed snippet. */

export type CampaignRow = RouterOutputs["campaigns"]["list"][number];
export type FormRow = RouterOutputs["forms"]["list"][number];

type Result = SetupFailure | { ok: true; intent: string; message: string; id?: string } | null | undefined;

const CAMPAIGN_BADGE: Record<string, string> = { active: "ok", paused: "warn", archived: "" };
export const LEAD_FIELD_NAMES = ["name", "phone", "email", "zip", "state"];

function failureOf(result: Result, intent: string, id?: string): SetupFailure | null {
  return result && !result.ok && result.intent === intent && (id === undefined || result.values.id === id) ? result : null;
}

function successOf(result: Result, intent: string, id?: string): string | null {
  return result && result.ok && result.intent === intent && (id === undefined || result.id === id) ? result.message : null;
}

function attribution(c: CampaignRow): string {
  const parts = [c.channel ? `Channel: ${c.channel}` : null, c.utmSource ? `utm_source=${c.utmSource}` : null, c.utmMedium ? `utm_medium=${c.utmMedium}` : null, c.utmCampaign ? `utm_campaign=${c.utmCampaign}` : null].filter(Boolean);
  return parts.length ? parts.join(" · ") : "No source attribution set.";
}

/** Name, channel and UTM inputs shared by "create" and "edit" (ids prefixed so several can live on one page). */
function CampaignFields(props: { prefix: string; failure: SetupFailure | null; campaign?: CampaignRow }) {
  const fe = props.failure?.fieldErrors ?? {};
  const v = props.failure?.values ?? {};
  const c = props.campaign;
  const id = (s: string) => `${props.prefix}-${s}`;
  const val = (k: string, fallback: string | null | undefined) => v[k] ?? fallback ?? "";
  return (
    <>
      <label>
        Campaign name <span className="hint">e.g. “Google Search – Roof repair”.</span>
        <input name="name" required minLength={2} maxLength={120} defaultValue={val("name", c?.name)} {...invalidProps(fe.name, id("name-error"))} />
        <FieldError id={id("name-error")} message={fe.name} />
      </label>
      <div className="field-grid">
        <label>
          Channel
          <input name="channel" maxLength={60} placeholder="google_ads" defaultValue={val("channel", c?.channel)} {...invalidProps(fe.channel, id("channel-error"))} />
          <FieldError id={id("channel-error")} message={fe.channel} />
        </label>
        <label>
          utm_source
          <input name="utmSource" maxLength={200} defaultValue={val("utmSource", c?.utmSource)} {...invalidProps(fe.utmSource, id("utmSource-error"))} />
          <FieldError id={id("utmSource-error")} message={fe.utmSource} />
        </label>
        <label>
          utm_medium
          <input name="utmMedium" maxLength={200} defaultValue={val("utmMedium", c?.utmMedium)} {...invalidProps(fe.utmMedium, id("utmMedium-error"))} />
          <FieldError id={id("utmMedium-error")} message={fe.utmMedium} />
        </label>
        <label>
          utm_campaign
          <input name="utmCampaign" maxLength={200} defaultValue={val("utmCampaign", c?.utmCampaign)} {...invalidProps(fe.utmCampaign, id("utmCampaign-error"))} />
          <FieldError id={id("utmCampaign-error")} message={fe.utmCampaign} />
        </label>
      </div>
    </>
  );
}

// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
export function CampaignCard(props: { campaign: CampaignRow; forms: FormRow[]; result: Result; busy: boolean }) {
  const c = props.campaign;
  const failure = failureOf(props.result, "update-campaign", c.id);
  const saved = successOf(props.result, "update-campaign", c.id);
  const headingId = `campaign-${c.id}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-head">
        <h2 id={headingId} className="card-title">
          {c.name}
        </h2>
        <span>
          {c.isDefault ? <span className="badge info">default</span> : null} <span className={`badge ${CAMPAIGN_BADGE[c.status] ?? ""}`}>{c.status}</span>
        </span>
      </div>
      <p className="muted small">
        {attribution(c)}
        {c.isDefault ? " API leads without a campaign land here." : ""}
      </p>
      <FormMessage success={saved} />
      {props.forms.length === 0 ? (
        <EmptyState title="No forms on this campaign">
          {c.status === "archived" ? "Archived campaigns take no new forms." : "Add one below to get an HTML snippet for a landing page."}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="stack-table">
            <thead>
              <tr>
                <th>Form</th>
                <th>Public key</th>
                <th>Allowed origins</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {props.forms.map((f) => (
                <tr key={f.id}>
                  <td data-label="Form">
                    <Link className="strong-link" to={`?form=${f.id}`}>
                      {f.name}
                    </Link>
                  </td>
                  <td className="mono break" data-label="Public key">
                    {f.publicKey}
                  </td>
                  <td data-label="Allowed origins">{f.allowedOrigins.length ? f.allowedOrigins.join(", ") : <span className="muted">Any origin</span>}</td>
                  <td data-label="Status">
                    <span className={`badge ${f.status === "active" ? "ok" : ""}`}>{f.status}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details className="inline-edit" open={Boolean(failure)}>
        <summary>Edit campaign</summary>
        <Form method="post" className="stack" preventScrollReset aria-label={`Edit ${c.name}`}>
          <input type="hidden" name="intent" value="update-campaign" />
          <input type="hidden" name="id" value={c.id} />
          <FormMessage failure={failure} />
          <CampaignFields prefix={`edit-${c.id}`} failure={failure} campaign={c} />
          <label>
            Status <span className="hint">Paused and archived campaigns keep their leads; archived ones take no new forms or numbers.</span>
            <select name="status" defaultValue={failure?.values.status ?? c.status}>
              <option value="active">Active</option>
              <option value="paused">Paused</option>
              <option value="archived">Archived</option>
            </select>
          </label>
          <div>
            <button type="submit" disabled={props.busy}>
              Save campaign
            </button>
          </div>
        </Form>
      </details>
    </section>
  );
}

export function CreateCampaignForm(props: { result: Result; busy: boolean }) {
  const failure = failureOf(props.result, "create-campaign");
  const success = successOf(props.result, "create-campaign");
  return (
    <Form method="post" className="stack" key={success ?? "new"} aria-label="Create a campaign">
      <input type="hidden" name="intent" value="create-campaign" />
      <FormMessage failure={failure} success={success} />
      <CampaignFields prefix="new-campaign" failure={failure} />
      <div>
        <button type="submit" disabled={props.busy}>
          Create campaign
        </button>
      </div>
    </Form>
  );
}

function OriginsField(props: { id: string; failure: SetupFailure | null; value: string }) {
  const fe = props.failure?.fieldErrors;
  const message = errorFor(fe, "allowedOrigins", (props.failure?.values.allowedOrigins ?? "").split(/[\s,]+/).filter(Boolean));
  return (
    <label>
      Allowed origins <span className="hint">One per line, like https://roofs.example.com. Posts from other sites are refused; leave empty to accept any site.</span>
      <textarea className="short" id={props.id} name="allowedOrigins" rows={3} defaultValue={props.value} spellCheck={false} {...invalidProps(message, `${props.id}-error`)} />
      <FieldError id={`${props.id}-error`} message={message} />
    </label>
  );
}

export function CreateFormForm(props: { campaigns: CampaignRow[]; result: Result; busy: boolean }) {
  const failure = failureOf(props.result, "create-form");
  const fe = failure?.fieldErrors ?? {};
  const v = failure?.values ?? {};
  const open = props.campaigns.filter((c) => c.status !== "archived");
  if (open.length === 0) return <EmptyState title="No campaign can take a form">Create a campaign (or un-archive one) first.</EmptyState>;
  return (
    <Form method="post" className="stack" aria-label="Add a form">
      <input type="hidden" name="intent" value="create-form" />
      <FormMessage failure={failure} />
      <label>
        Campaign
        <select name="campaignId" defaultValue={v.campaignId ?? open[0]!.id} {...invalidProps(fe.campaignId, "new-form-campaign-error")}>
          {open.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <FieldError id="new-form-campaign-error" message={fe.campaignId} />
      </label>
      <label>
        Form name <span className="hint">For you, e.g. “Landing page – spring offer”.</span>
        <input name="name" defaultValue={v.name ?? "Web form"} required minLength={2} maxLength={120} {...invalidProps(fe.name, "new-form-name-error")} />
        <FieldError id="new-form-name-error" message={fe.name} />
      </label>
      <OriginsField id="new-form-origins" failure={failure} value={v.allowedOrigins ?? ""} />
      <label>
        Thank-you page <span className="hint">Where visitors go after sending the form (optional).</span>
        <input name="thankYouUrl" type="url" placeholder="https://roofs.example.com/thanks" defaultValue={v.thankYouUrl ?? ""} {...invalidProps(fe.thankYouUrl, "new-form-thanks-error")} />
        <FieldError id="new-form-thanks-error" message={fe.thankYouUrl} />
      </label>
      <div>
        <button type="submit" disabled={props.busy}>
          Add form
        </button>
      </div>
    </Form>
  );
}

/** One form: its snippet to copy, its settings and the switch that stops it accepting leads. */
// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
export function FormDetail(props: {
  form: FormRow;
  campaignName: string;
  snippet: {
    html: string;
    action: string;
    publicKey: string;
    contractVersion: number | null;
    contractFields: { field: string; label: string }[];
    changed: { sinceVersion: number; effectiveFrom: string | Date; newFields: string[] } | null;
  };
  created: boolean;
  result: Result;
  busy: boolean;
  backTo: string;
  timeZone: string;
  /** The form's posting spec page. */
  specHref: string;
}) {
  const f = props.form;
  const failure = failureOf(props.result, "update-form");
  const saved = successOf(props.result, "update-form") ?? successOf(props.result, "disable-form") ?? successOf(props.result, "enable-form") ?? successOf(props.result, "test-key");
  const fe = failure?.fieldErrors ?? {};
  const v = failure?.values ?? {};
  const mapping: [string, string][] = v.mapping ? (JSON.parse(v.mapping) as [string, string][]) : Object.entries(f.fieldMapping);
  const rows = [...mapping, ["", ""], ["", ""]] as [string, string][];
  const snippetLines = props.snippet.html.split("\n").length;
  return (
    <>
      <p className="muted">
        <Link to={props.backTo}>← All campaigns and forms</Link>
      </p>
      {props.created ? (
        <div className="alert success" role="status">
          <strong>Form created.</strong> Copy the snippet below into the landing page — leads start arriving as soon as it is live.
        </div>
      ) : null}
      <FormMessage success={saved} />
      {f.status === "disabled" ? (
        <div className="alert warn" role="status">
          This form is disabled: its address answers “not found” and no leads are accepted.
        </div>
      ) : null}
      <section className="card" aria-labelledby="form-heading">
        <div className="card-head">
          <h2 id="form-heading" className="card-title">
            {f.name}
          </h2>
          <span className={`badge ${f.status === "active" ? "ok" : ""}`}>{f.status}</span>
        </div>
        <dl className="facts stack-narrow">
          <dt>Campaign</dt>
          <dd>{props.campaignName}</dd>
          <dt>Public key</dt>
          <dd className="mono break">{f.publicKey}</dd>
          <dt>Posts to</dt>
          <dd className="mono break">{props.snippet.action}</dd>
          <dt>Allowed origins</dt>
          <dd>{f.allowedOrigins.length ? f.allowedOrigins.join(", ") : "Any origin"}</dd>
          <dt>Thank-you page</dt>
          <dd className="break">{f.thankYouUrl ?? <span className="muted">None — visitors see a short confirmation page</span>}</dd>
          <dt>Created</dt>
          <dd>{dateOnly(f.createdAt, props.timeZone)}</dd>
          <dt>Test key</dt>
          <dd className="mono break">{f.testPublicKey ?? <span className="muted">None</span>}</dd>
        </dl>
        <p className="muted small">
          Posts to the test key are judged like real leads and answered with &quot;test&quot;: true, but never billed, alerted or counted, and are deleted after 7 days. The
          embedded public key never makes a test lead.
        </p>
        <Form method="post" className="inline">
          <input type="hidden" name="id" value={f.id} />
          <input type="hidden" name="intent" value="test-key" />
          <button type="submit" name="enabled" value="1" className="secondary" disabled={props.busy}>
            {f.testPublicKey ? "Replace test key" : "Create test key"}
          </button>
          {f.testPublicKey ? (
            <button type="submit" name="enabled" value="0" className="secondary" disabled={props.busy}>
              Remove test key
            </button>
          ) : null}
          <Link className="button secondary" to={props.specHref}>
            Posting spec
          </Link>
        </Form>
      </section>
      <section className="card" aria-labelledby="snippet-heading">
        <h2 id="snippet-heading" className="card-title">
          Embed snippet
        </h2>
        {props.snippet.changed ? (
          <div className="alert warn" role="alert">
            <strong>Replace pasted copies of this snippet.</strong> Contract version {props.snippet.changed.sinceVersion}, in force since{" "}
            {dateOnly(props.snippet.changed.effectiveFrom, props.timeZone)}, also asks for {props.snippet.changed.newFields.join(", ")}. A snippet copied before
            it sends leads without {props.snippet.changed.newFields.length > 1 ? "them" : "it"}, and they are rejected.
          </div>
        ) : null}
        <p className="muted">
          {props.snippet.contractVersion === null
            ? "This client has no contract in force yet: the snippet asks for the contact fields only. Publish a contract, then copy it again."
            : `Generated from contract version ${props.snippet.contractVersion}: contact details${
                props.snippet.contractFields.length ? `, plus ${props.snippet.contractFields.map((f) => f.label).join(", ")}` : ""
              } — every field the contract checks, so a lead typed into it can qualify.`}
        </p>
        <label htmlFor="embed-snippet">
          HTML for the landing page
          <span className="hint">Plain HTML, no JavaScript. The public key in it is safe to publish: it only lets people send leads to this form.</span>
        </label>
        <textarea id="embed-snippet" className="snippet" readOnly value={props.snippet.html} rows={Math.min(snippetLines + 1, 24)} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton targetId="embed-snippet" label="Copy snippet" />
      </section>
      <section className="card" aria-labelledby="settings-heading">
        <h2 id="settings-heading" className="card-title">
          Settings
        </h2>
        <Form method="post" className="stack" preventScrollReset aria-labelledby="settings-heading">
          <input type="hidden" name="intent" value="update-form" />
          <input type="hidden" name="id" value={f.id} />
          <FormMessage failure={failure} />
          <label>
            Form name
            <input name="name" defaultValue={v.name ?? f.name} required minLength={2} maxLength={120} {...invalidProps(fe.name, "form-name-error")} />
            <FieldError id="form-name-error" message={fe.name} />
          </label>
          <OriginsField id="form-origins" failure={failure} value={v.allowedOrigins ?? f.allowedOrigins.join("\n")} />
          <label>
            Thank-you page <span className="hint">Leave empty for the built-in confirmation page.</span>
            <input name="thankYouUrl" type="url" defaultValue={v.thankYouUrl ?? f.thankYouUrl ?? ""} {...invalidProps(fe.thankYouUrl, "form-thanks-error")} />
            <FieldError id="form-thanks-error" message={fe.thankYouUrl} />
          </label>
          <label>
            Consent text <span className="hint">Shown next to the consent checkbox and stored with every lead. Empty uses the standard wording.</span>
            <textarea className="short prose" name="consentText" rows={2} maxLength={2000} defaultValue={v.consentText ?? f.consentText ?? ""} {...invalidProps(fe.consentText, "form-consent-error")} />
            <FieldError id="form-consent-error" message={fe.consentText} />
          </label>
          <label>
            Spam-trap field name <span className="hint">A hidden field people never fill in; submissions that fill it are rejected.</span>
            <input name="honeypotField" defaultValue={v.honeypotField ?? f.honeypotField} required {...invalidProps(fe.honeypotField, "form-hp-error")} />
            <FieldError id="form-hp-error" message={fe.honeypotField} />
          </label>
          <fieldset className="mapping" aria-describedby="mapping-hint">
            <legend>Field mapping</legend>
            <p className="hint" id="mapping-hint">
              Only needed when the page's fields have other names, e.g. <code>your_phone</code> → <code>phone</code>. Lead fields: {LEAD_FIELD_NAMES.join(", ")}; any other name
              is kept as a custom field (such as <code>budget</code>). Empty rows are ignored.
            </p>
            <div className="mapping-head" aria-hidden="true">
              <span>Posted field name</span>
              <span />
              <span>Lead field</span>
            </div>
            {rows.map(([from, to], i) => (
              <div className="mapping-row" key={`${i}-${from}`}>
                <label className="visually-hidden" htmlFor={`map-from-${i}`}>
                  Posted field name, row {i + 1}
                </label>
                <input id={`map-from-${i}`} name="mapFrom" defaultValue={from} placeholder="your_phone" autoComplete="off" />
                <span aria-hidden="true">→</span>
                <label className="visually-hidden" htmlFor={`map-to-${i}`}>
                  Lead field, row {i + 1}
                </label>
                <input id={`map-to-${i}`} name="mapTo" defaultValue={to} placeholder="phone" list="lead-fields" autoComplete="off" />
              </div>
            ))}
            <datalist id="lead-fields">
              {LEAD_FIELD_NAMES.map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
            <FieldError id="mapping-error" message={errorFor(fe, "fieldMapping")} />
          </fieldset>
          <div>
            <button type="submit" disabled={props.busy}>
              Save settings
            </button>
          </div>
        </Form>
      </section>
      <section className="card" aria-labelledby="status-heading">
        <h2 id="status-heading" className="card-title">
          {f.status === "active" ? "Stop accepting leads" : "Accept leads again"}
        </h2>
        <Form method="post" className="inline" preventScrollReset>
          <input type="hidden" name="id" value={f.id} />
          <p className="muted grow">
            {f.status === "active"
              ? "Disabling takes effect at once: the snippet keeps its HTML, but posts to it are refused. Leads already received stay."
              : "Enabling lets the snippet post leads again with the same public key."}
          </p>
          {f.status === "active" ? (
            <button type="submit" name="intent" value="disable-form" className="danger" disabled={props.busy}>
              Disable form
            </button>
          ) : (
            <button type="submit" name="intent" value="enable-form" disabled={props.busy}>
              Enable form
            </button>
          )}
        </Form>
      </section>
    </>
  );
}
