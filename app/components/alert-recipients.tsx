import { Form, Link } from "@remix-run/react";
import { useState } from "react";
import type { RouterOutputs } from "~/lib/api";
import type { ActionFailure } from "~/lib/form-action.server";
import { phone as formatPhone } from "~/lib/format";
import {
  ALERT_PLACEHOLDERS,
  FIELD_LIMITS,
  SAMPLE_ALERT_LEAD,
  SAMPLE_LINK_TOKEN,
  type AlertLeadValues,
  describeSegments,
  placeholderValues,
  smsSegments,
  worstCaseText,
  type AlertPlaceholder,
  type SmsSegments,
} from "../../server/domain/alerts/template";
import { EmptyState, FieldError } from "./layout";
import { ConfirmPanel, FormMessage, invalidProps } from "./setup";

/**
 * Who gets a client's lead alerts and how: the sales reps (name, phone, on/off, active hours per
 * weekday), the routing (everyone / round robin) and the SMS template with a live preview.
 * Shared by the portal (/portal/alerts) and the agency console (/agency/clients/:id/alerts); the
 * actions live in alert-recipients.server.tsx. Read-only when `canManage` is false.
 */

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type ActiveHours = Partial<Record<Weekday, [string, string][]>>;
const DAY_NAME: Record<Weekday, string> = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" };

export type RecipientRow = RouterOutputs["alertRecipients"]["list"][number];
export type AlertSettingsData = RouterOutputs["alertRecipients"]["settings"]["get"];

export type RecipientsResult =
  | { ok: true; intent: string; message: string }
  | (ActionFailure & { id: string });

// ---------------------------------------------------------------------------------------------
// Template preview, computed with the server's own template functions

const PLACEHOLDER = /\{([a-zA-Z_]+)\}/g;

const PLACEHOLDER_HELP: Record<AlertPlaceholder, string> = {
  name: `the lead's name (up to ${FIELD_LIMITS.name} characters)`,
  phone: "the lead's phone, e.g. +12125550142",
  source: "form, API or call",
  campaign: `the campaign's name (up to ${FIELD_LIMITS.campaign} characters)`,
  zip: "the lead's ZIP code",
  link: "the rep's own link to a read-only card of the lead (no sign-in; expires, revocable) — required",
};

function isPlaceholder(key: string): key is AlertPlaceholder {
  return (ALERT_PLACEHOLDERS as readonly string[]).includes(key);
}

export function previewAlert(
  template: string,
  publicUrl: string,
  lead: AlertLeadValues = SAMPLE_ALERT_LEAD,
): { text: string; longest: number; unknown: string[]; hasLink: boolean; segments: SmsSegments; worstSegments: SmsSegments } {
  const sample = placeholderValues(lead, publicUrl, SAMPLE_LINK_TOKEN);
  const text = template.replace(PLACEHOLDER, (whole, key: string) => (isPlaceholder(key) ? sample[key] : whole));
  const unknown = [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((k) => !isPlaceholder(k)))];
  const worst = worstCaseText(template, publicUrl);
  return { text, longest: worst.length, unknown, hasLink: template.includes("{link}"), segments: smsSegments(text), worstSegments: smsSegments(worst) };
}

const quoteChars = (cs: string[]) => cs.map((c) => (c === "\n" ? "line break" : `“${c}”`)).join(", ");

/** The segment count of the example and of the longest rendering, with what to change when it costs more than one SMS. */
export function SegmentCount({ pv }: { pv: ReturnType<typeof previewAlert> }) {
  const { segments, worstSegments } = pv;
  const ucs = segments.encoding === "UCS-2" ? segments.nonGsm : [];
  return (
    <div className="segment-count small" aria-live="polite" data-testid="segment-count">
      <p>
        This example: <strong>{describeSegments(segments)}</strong> · longest lead: {describeSegments(worstSegments)}
      </p>
      {ucs.length ? (
        <p className="field-error" role="alert">
          {quoteChars(ucs)} {ucs.length > 1 ? "are" : "is"} not in the GSM-7 alphabet, so every alert is sent as UCS-2: 70 characters per segment instead of 160. Use plain
          characters (- for –, &apos; for ’, &quot; for “ ”).
        </p>
      ) : null}
      {!ucs.length && segments.segments > 1 ? (
        <p className="field-error" role="alert">
          This example already takes {segments.segments} segments; each segment is billed as one SMS. Shorten the fixed text to stay within one.
        </p>
      ) : null}
      {!ucs.length && segments.segments <= 1 && worstSegments.segments > 1 ? (
        <p className="muted">A lead with a very long name or campaign makes it {worstSegments.segments} segments.</p>
      ) : null}
      {segments.extended.length ? <p className="muted">{quoteChars(segments.extended)} count twice in GSM-7.</p> : null}
      <p className="muted">A lead whose name has letters outside GSM-7 (e.g. Ł, ș) is sent as UCS-2.</p>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
export function RecipientsManager(props: {
  recipients: RecipientRow[];
  settings: AlertSettingsData;
  canManage: boolean;
  timezone: string;
  publicUrl: string;
  result: RecipientsResult | undefined;
  busy: boolean;
  toRemove: RecipientRow | null;
  cancelTo: string;
}) {
  const { recipients, canManage, result } = props;
  const failure = result && !result.ok ? result : null;
  const failureFor = (intent: string, id = "") => (failure && failure.intent === intent && failure.id === id ? failure : null);
  const generalFailure = failure && !["add-recipient", "update-recipient", "save-settings"].includes(failure.intent) ? failure : null;
  return (
    <>
      {result && result.ok ? <FormMessage success={result.message} /> : null}
      {generalFailure ? <FormMessage failure={generalFailure} /> : null}
      {!canManage ? (
        <div className="alert info" role="note">
          You can see who gets lead alerts. Only an admin of your account can change them.
        </div>
      ) : null}
      {props.toRemove && canManage ? (
        <ConfirmPanel title={`Remove ${props.toRemove.name}?`} intent="remove-recipient" id={props.toRemove.id} confirmLabel="Remove" cancelTo={props.cancelTo} busy={props.busy}>
          <p>
            {props.toRemove.name} ({formatPhone(props.toRemove.phone)}) gets no more lead alerts. A recipient who already received alerts is kept on record and switched off
            instead.
          </p>
        </ConfirmPanel>
      ) : null}

      <section className="card" aria-labelledby="recipients-heading">
        <h2 id="recipients-heading" className="card-title">
          Sales reps who get lead alerts
        </h2>
        <p className="muted small">Every qualified lead is texted within seconds. Active hours are in {props.timezone}; outside them a rep is skipped.</p>
        {recipients.length === 0 ? (
          <EmptyState title="Nobody gets alerts yet">{canManage ? "Add a sales rep below." : "Ask an admin of your account to add a sales rep."}</EmptyState>
        ) : (
          <ul className="recipient-list" aria-label="Alert recipients">
            {recipients.map((r) => {
              const f = failureFor("update-recipient", r.id);
              return (
                <li key={r.id} aria-label={r.name}>
                  <div className="recipient-head">
                    <div>
                      <strong>{r.name}</strong>
                      <div>
                        {formatPhone(r.phone)} <span className="mono muted small">{r.phone}</span>
                      </div>
                    </div>
                    <div className="recipient-badges">
                      {r.active ? <span className="badge ok">On</span> : <span className="badge">Off</span>}
                      {r.optedOut ? (
                        <span className="badge bad" title="The rep texted STOP; texting START turns alerts back on.">
                          Opted out (STOP){r.optedOutAt ? ` since ${new Date(r.optedOutAt).toISOString().slice(0, 16).replace("T", " ")} UTC` : ""}
                        </span>
                      ) : null}
                    </div>
                  </div>
                  <div className="small">
                    <span className="muted">Active hours:</span> {r.activeHoursText === "always" ? "Always" : r.activeHoursText === "never" ? "Never" : r.activeHoursText}
                  </div>
                  {canManage ? (
                    <>
                      <div className="actions recipient-actions">
                        <Form method="post" preventScrollReset>
                          <input type="hidden" name="intent" value="toggle-recipient" />
                          <input type="hidden" name="id" value={r.id} />
                          <input type="hidden" name="active" value={r.active ? "false" : "true"} />
                          <button type="submit" className="secondary small-btn" disabled={props.busy}>
                            {r.active ? "Switch off" : "Switch on"}
                          </button>
                        </Form>
                        <Link className="button secondary small-btn" to={`?remove=${r.id}`} preventScrollReset aria-label={`Remove ${r.name}`}>
                          Remove…
                        </Link>
                      </div>
                      <details className="inline-edit" open={!!f}>
                        <summary>Edit {r.name}</summary>
                        <RecipientForm intent="update-recipient" recipient={r} failure={f} busy={props.busy} timezone={props.timezone} />
                      </details>
                    </>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      {canManage ? (
        <section className="card" aria-labelledby="add-recipient-heading">
          <h2 id="add-recipient-heading" className="card-title">
            Add a sales rep
          </h2>
          <RecipientForm
            key={result && result.ok && result.intent === "add-recipient" ? result.message : "add"}
            intent="add-recipient"
            recipient={null}
            failure={failureFor("add-recipient")}
            busy={props.busy}
            timezone={props.timezone}
          />
        </section>
      ) : null}

      <SettingsCard key={props.settings.template ?? "default"} settings={props.settings} canManage={canManage} publicUrl={props.publicUrl} failure={failureFor("save-settings")} busy={props.busy} />
    </>
  );
}

// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
function RecipientForm(props: {
  intent: "add-recipient" | "update-recipient";
  recipient: RecipientRow | null;
  failure: Extract<RecipientsResult, { ok: false }> | null;
  busy: boolean;
  timezone: string;
}) {
  const r = props.recipient;
  const v = props.failure?.values;
  const fe = props.failure?.fieldErrors ?? {};
  const p = r ? `r-${r.id.slice(0, 8)}` : "new";
  const mode = (v ? v.mode : r?.activeHours ? "hours" : "always") === "hours" ? "hours" : "always";
  const dayError = (d: Weekday) => Object.entries(fe).find(([k]) => k === `activeHours.${d}` || k.startsWith(`activeHours.${d}.`))?.[1];
  const hoursError = fe.activeHours;
  return (
    <Form method="post" className="stack recipient-form" preventScrollReset>
      <input type="hidden" name="intent" value={props.intent} />
      {r ? <input type="hidden" name="id" value={r.id} /> : null}
      <FormMessage failure={props.failure} />
      <div className="field-grid">
        <label>
          Name
          <input name="name" required maxLength={80} defaultValue={v?.name ?? r?.name ?? ""} {...invalidProps(fe.name, `${p}-name-error`)} />
          <FieldError id={`${p}-name-error`} message={fe.name} />
        </label>
        <label>
          Mobile phone
          <input name="phone" type="tel" required maxLength={40} autoComplete="off" defaultValue={v?.phone ?? r?.phone ?? ""} {...invalidProps(fe.phone, `${p}-phone-error`)} />
          <FieldError id={`${p}-phone-error`} message={fe.phone} />
          <span className="hint">Any format; saved in international form (+1…).</span>
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" name="active" defaultChecked={v ? v.active === "on" : (r?.active ?? true)} /> Alerts on
      </label>
      <fieldset className="mapping schedule">
        <legend>When does {r ? r.name : "this rep"} get alerts?</legend>
        <label className="checkbox">
          <input type="radio" name="mode" value="always" defaultChecked={mode === "always"} /> <span>Always, day and night</span>
        </label>
        <label className="checkbox">
          <input type="radio" name="mode" value="hours" defaultChecked={mode === "hours"} /> <span>Only at these times ({props.timezone})</span>
        </label>
        <div className="schedule-days">
          {WEEKDAYS.map((d) => {
            const range = r?.activeHours?.[d]?.[0];
            const on = v ? v[`on-${d}`] === "on" : r?.activeHours ? !!range : !["sat", "sun"].includes(d);
            const err = dayError(d);
            const extra = (r?.activeHours?.[d]?.length ?? 0) > 1;
            return (
              <div className="schedule-day" key={d}>
                <label className="checkbox day-name">
                  <input type="checkbox" name={`on-${d}`} defaultChecked={on} /> {DAY_NAME[d]}
                </label>
                <label>
                  <span className="visually-hidden">{DAY_NAME[d]} from</span>
                  <input type="time" name={`from-${d}`} defaultValue={v?.[`from-${d}`] ?? range?.[0] ?? "08:00"} {...invalidProps(err, `${p}-${d}-error`)} />
                </label>
                <span aria-hidden="true">–</span>
                <label>
                  <span className="visually-hidden">{DAY_NAME[d]} until</span>
                  <input
                    type="time"
                    name={`to-${d}`}
                    defaultValue={v?.[`to-${d}`] ?? (range?.[1] === "24:00" ? "00:00" : range?.[1]) ?? "18:00"}
                    {...invalidProps(err, `${p}-${d}-error`)}
                  />
                </label>
                {err ? <FieldError id={`${p}-${d}-error`} message={err} /> : null}
                {extra && !err ? <span className="hint small">Only the first of its {r!.activeHours![d]!.length} ranges is shown; saving keeps just this one.</span> : null}
              </div>
            );
          })}
          <p className="hint small">An end time of midnight (00:00, 12:00 AM) means until the end of the day. For a night shift, end one day at midnight and start the next at midnight.</p>
          <FieldError id={`${p}-hours-error`} message={hoursError} />
        </div>
      </fieldset>
      <div>
        <button type="submit" disabled={props.busy}>
          {r ? "Save changes" : "Add rep"}
        </button>
      </div>
    </Form>
  );
}

// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
function SettingsCard(props: { settings: AlertSettingsData; canManage: boolean; publicUrl: string; failure: Extract<RecipientsResult, { ok: false }> | null; busy: boolean }) {
  const s = props.settings;
  const f = props.failure;
  const [text, setText] = useState(f?.values.template ?? s.template ?? s.defaultTemplate);
  const effective = text.trim() ? text : s.defaultTemplate;
  const pv = previewAlert(effective, props.publicUrl, s.sampleLead);
  const over = pv.longest > s.maxLength;
  const templateError = f?.fieldErrors.template;
  const routingLabel = s.routing === "round_robin" ? "Round robin — one rep on duty per lead, in turn" : "Everyone on duty gets every lead";
  return (
    <section className="card" aria-labelledby="settings-heading">
      <h2 id="settings-heading" className="card-title">
        Routing and message
      </h2>
      {!props.canManage ? (
        <>
          <dl className="facts stack-narrow">
            <dt>Routing</dt>
            <dd>{routingLabel}</dd>
            <dt>Message</dt>
            <dd className="break mono">{s.effectiveTemplate}</dd>
            <dt>Example</dt>
            <dd className="break">{s.preview}</dd>
            <dt>Segments</dt>
            <dd>
              <SegmentCount pv={pv} />
            </dd>
          </dl>
        </>
      ) : (
        <Form method="post" className="settings-form" preventScrollReset>
          <FormMessage failure={f && !templateError ? f : null} />
          <fieldset className="mapping">
            <legend>Who gets each lead</legend>
            <label className="checkbox">
              <input type="radio" name="routing" value="everyone" defaultChecked={(f?.values.routing ?? s.routing) === "everyone"} /> <span>Everyone on duty gets every lead</span>
            </label>
            <label className="checkbox">
              <input type="radio" name="routing" value="round_robin" defaultChecked={(f?.values.routing ?? s.routing) === "round_robin"} />{" "}
              <span>Round robin — one rep on duty per lead, in turn</span>
            </label>
          </fieldset>
          <div className="template-editor">
            <div>
              <label htmlFor="alert-template">
                Message template <span className="hint">Leave empty to use the default.</span>
              </label>
              <textarea
                id="alert-template"
                name="template"
                className="prose short"
                rows={4}
                maxLength={1000}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                {...invalidProps(templateError, "template-error")}
                aria-describedby={`template-count${templateError ? " template-error" : ""}`}
              />
              <FieldError id="template-error" message={templateError} />
              <p id="template-count" className={`small template-count${over ? " over" : ""}`} aria-live="polite">
                {pv.text.length} characters in this example · up to {pv.longest} of {s.maxLength} with the longest name and campaign
                {over ? ` — ${pv.longest - s.maxLength} too many` : ""}
              </p>
              {pv.unknown.length ? <p className="small field-error">Unknown placeholder{pv.unknown.length > 1 ? "s" : ""}: {pv.unknown.map((k) => `{${k}}`).join(", ")}</p> : null}
              {!pv.hasLink ? <p className="small field-error">The message must contain {"{link}"}.</p> : null}
              <SegmentCount pv={pv} />
            </div>
            <div>
              <div className="label-like">Preview (a sample lead)</div>
              <div className="sms-preview" aria-label="Message preview">
                {pv.text}
              </div>
              <details className="placeholder-help">
                <summary>Placeholders</summary>
                <dl className="facts">
                  {s.placeholders.map((k) => (
                    <PlaceholderFact key={k} name={k} />
                  ))}
                </dl>
              </details>
            </div>
          </div>
          <div className="actions">
            <button type="submit" name="intent" value="save-settings" disabled={props.busy}>
              Save routing and message
            </button>
            {s.template ? (
              <button type="submit" name="intent" value="reset-template" className="secondary" disabled={props.busy}>
                Use the default message
              </button>
            ) : null}
          </div>
        </Form>
      )}
    </section>
  );
}

function PlaceholderFact({ name }: { name: string }) {
  return (
    <>
      <dt className="mono">{`{${name}}`}</dt>
      <dd>{isPlaceholder(name) ? PLACEHOLDER_HELP[name] : ""}</dd>
    </>
  );
}
