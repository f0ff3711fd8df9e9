import { Form, Link } from "@remix-run/react";
import { phone } from "~/lib/format";
import { EmptyState, FieldError } from "./layout";
import { FormMessage, invalidProps, type SetupFailure } from "./setup";
import type { RouterOutputs } from "~/lib/api";

/** Tracking numbers of a client's campaigns: the table per campaign and the add/edit forms. */

/** A row of `trackingNumbers.list`. */
export type NumberRow = RouterOutputs["trackingNumbers"]["list"][number];

export interface CampaignOption {
  id: string;
  name: string;
  status: string;
}

export function NumbersTable(props: { numbers: NumberRow[]; editTo: (id: string) => string; releaseTo: (id: string) => string }) {
  if (props.numbers.length === 0) return <EmptyState title="No numbers on this campaign">Add one below; calls to it are forwarded, recorded and judged like any lead.</EmptyState>;
  return (
    <div className="table-wrap">
      <table className="stack-table">
        <thead>
          <tr>
            <th>Tracking number</th>
            <th>Forwards to</th>
            <th>Recording</th>
            <th>Whisper</th>
            <th>Status</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.numbers.map((n) => (
            <tr key={n.id} className={n.status === "released" ? "muted" : undefined}>
              <td className="nowrap" data-label="Tracking number">
                <strong>{phone(n.phoneNumber)}</strong>
                <div className="muted small">{n.twilioSid ? "Twilio voice URL set" : "Voice URL not set by LeadLedger"}</div>
              </td>
              <td className="nowrap" data-label="Forwards to">
                {phone(n.forwardTo)}
              </td>
              <td data-label="Recording">{n.record ? "On" : "Off"}</td>
              <td data-label="Whisper">{n.whisperText ?? <span className="muted">Default</span>}</td>
              <td data-label="Status">
                <span className={`badge ${n.status === "active" ? "ok" : ""}`}>{n.status}</span>
              </td>
              <td className="nowrap actions-cell">
                {n.status === "active" ? (
                  <span className="row-actions">
                    <Link className="button secondary small-btn" to={props.editTo(n.id)} preventScrollReset aria-label={`Edit ${phone(n.phoneNumber)}`}>
                      Edit
                    </Link>
                    <Link className="button secondary small-btn" to={props.releaseTo(n.id)} preventScrollReset aria-label={`Release ${phone(n.phoneNumber)}`}>
                      Release…
                    </Link>
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Forward-to, recording, disclosure and whisper: the same inputs for adding and editing. */
function CallFields(props: { prefix: string; failure: SetupFailure | null; number?: NumberRow }) {
  const fe = props.failure?.fieldErrors ?? {};
  const v = props.failure?.values ?? {};
  const n = props.number;
  const id = (s: string) => `${props.prefix}-${s}`;
  const record = props.failure ? v.record === "on" : (n?.record ?? true);
  return (
    <>
      <label>
        Forward calls to <span className="hint">The client's phone that rings, e.g. +1 212 555 0100.</span>
        <input name="forwardTo" type="tel" required autoComplete="off" defaultValue={v.forwardTo ?? n?.forwardTo ?? ""} {...invalidProps(fe.forwardTo, id("forward-error"))} />
        <FieldError id={id("forward-error")} message={fe.forwardTo} />
      </label>
      <label className="checkbox">
        <input type="checkbox" name="record" defaultChecked={record} />
        Record calls <span className="hint">The caller hears the disclosure first; recordings are evidence in disputes.</span>
      </label>
      <label>
        Recording disclosure <span className="hint">Read to the caller before forwarding. Empty uses the standard sentence.</span>
        <input name="disclosureText" maxLength={500} defaultValue={v.disclosureText ?? n?.disclosureText ?? ""} {...invalidProps(fe.disclosureText, id("disclosure-error"))} />
        <FieldError id={id("disclosure-error")} message={fe.disclosureText} />
      </label>
      <label>
        Whisper <span className="hint">Read to the client's staff when they answer. Empty says “LeadLedger call from” and the campaign.</span>
        <input name="whisperText" maxLength={300} defaultValue={v.whisperText ?? n?.whisperText ?? ""} {...invalidProps(fe.whisperText, id("whisper-error"))} />
        <FieldError id={id("whisper-error")} message={fe.whisperText} />
      </label>
      <fieldset>
        <legend>Calls that should not be billed</legend>
        <label className="checkbox">
          <input type="checkbox" name="screenCalls" defaultChecked={props.failure ? v.screenCalls === "on" : (n?.screenCalls ?? false)} />
          Screen calls <span className="hint">Whoever answers hears “Press 1 to accept this lead”; a call not accepted (or a voicemail picking up) is not billed.</span>
        </label>
        <label>
          Fallback number <span className="hint">Rung when the client does not answer, is busy or does not accept. Empty: none.</span>
          <input name="fallbackNumber" type="tel" autoComplete="off" defaultValue={v.fallbackNumber ?? n?.fallbackNumber ?? ""} {...invalidProps(fe.fallbackNumber, id("fallback-error"))} />
          <FieldError id={id("fallback-error")} message={fe.fallbackNumber} />
        </label>
        <label className="checkbox">
          <input type="checkbox" name="voicemail" defaultChecked={props.failure ? v.voicemail === "on" : (n?.voicemail ?? false)} />
          Voicemail <span className="hint">After a missed call the caller may leave a message; it becomes the lead's recording.</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" name="textBack" defaultChecked={props.failure ? v.textBack === "on" : (n?.textBack ?? false)} />
          Text back missed calls <span className="hint">“Sorry we missed you — we'll call you back”, once per caller and day.</span>
        </label>
      </fieldset>
    </>
  );
}

function CampaignSelect(props: { campaigns: CampaignOption[]; value: string; error?: string; errorId: string; hint: string }) {
  return (
    <label>
      Campaign <span className="hint">{props.hint}</span>
      <select name="campaignId" defaultValue={props.value} {...invalidProps(props.error, props.errorId)}>
        {props.campaigns.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
            {c.status === "paused" ? " (paused)" : ""}
          </option>
        ))}
      </select>
      <FieldError id={props.errorId} message={props.error} />
    </label>
  );
}

export function AddNumberForm(props: { campaigns: CampaignOption[]; failure: SetupFailure | null; resetKey: string; busy: boolean }) {
  const fe = props.failure?.fieldErrors ?? {};
  const v = props.failure?.values ?? {};
  if (props.campaigns.length === 0) return <EmptyState title="No campaign can take a number">Create a campaign (or un-archive one) on the Campaigns & forms tab first.</EmptyState>;
  return (
    <Form method="post" className="stack" key={props.resetKey} aria-label="Add a tracking number">
      <input type="hidden" name="intent" value="add-number" />
      <FormMessage failure={props.failure} />
      <CampaignSelect campaigns={props.campaigns} value={v.campaignId ?? props.campaigns[0]!.id} error={fe.campaignId} errorId="add-campaign-error" hint="Calls to the number count for it." />
      <label>
        Tracking number <span className="hint">A number of your Twilio account, in international form: +1 212 555 0199.</span>
        <input name="phoneNumber" type="tel" required autoComplete="off" defaultValue={v.phoneNumber ?? ""} {...invalidProps(fe.phoneNumber, "add-number-error")} />
        <FieldError id="add-number-error" message={fe.phoneNumber} />
      </label>
      <CallFields prefix="add" failure={props.failure} />
      <div>
        <button type="submit" disabled={props.busy}>
          Add number
        </button>
      </div>
    </Form>
  );
}

export function EditNumberForm(props: { number: NumberRow; campaigns: CampaignOption[]; failure: SetupFailure | null; cancelTo: string; busy: boolean }) {
  const n = props.number;
  const fe = props.failure?.fieldErrors ?? {};
  return (
    <section className="card" aria-labelledby="edit-number-heading">
      <h2 id="edit-number-heading" className="card-title">
        Edit {phone(n.phoneNumber)}
      </h2>
      <Form method="post" className="stack" preventScrollReset>
        <input type="hidden" name="intent" value="update-number" />
        <input type="hidden" name="id" value={n.id} />
        <FormMessage failure={props.failure} />
        <CampaignSelect
          campaigns={props.campaigns}
          value={props.failure?.values.campaignId ?? n.campaignId}
          error={fe.campaignId}
          errorId="edit-campaign-error"
          hint="Move the number to another campaign of this client; earlier calls stay where they were."
        />
        <CallFields prefix="edit" failure={props.failure} number={n} />
        <div className="actions">
          <button type="submit" disabled={props.busy}>
            Save number
          </button>
          <Link className="button secondary" to={props.cancelTo} preventScrollReset>
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
