import { Form } from "@remix-run/react";
import { useRef, useState, type ReactNode } from "react";
import { DISPUTE_REASONS, SERVICE_AREA_MATCHES, WEEKDAYS, type ContractDocument } from "../../server/domain/contracts/contract-document";
import { reasonLabel } from "../../server/domain/qualification/describe";
import { WEEKDAY_NAMES } from "../../server/domain/shared/weekday-names";
import {
  all,
  BUILDER_SECTIONS,
  checkContractFields,
  CUSTOM_OPS,
  fieldsFromFormData,
  one,
  rowIndexes,
  sectionOfPath,
  type BuilderCheck,
  type BuilderSectionId,
  type ContractFields,
} from "~/lib/contract-form";
import { describeIssuePath, formatContractJson, type ContractIssue } from "~/lib/contract-json";

/**
 * The contract builder: the contract as a form, for account managers who do not write JSON. Each
 * section shows how it reads beside it while it is typed, the panel at the end what would change
 * against the version in force. It posts its fields (intent "publish-form"); the route turns them
 * into the same document the JSON editor would publish (~/lib/contract-form). Without JavaScript
 * the same form posts, and "Update the reading" has the server read it back.
 */

const FIELD_WORDS: Record<string, string> = { name: "Name", phone: "Phone", email: "E-mail", zip: "ZIP", state: "State" };
const MATCH_WORDS: Record<(typeof SERVICE_AREA_MATCHES)[number], string> = {
  zip_or_state: "A listed ZIP, or anywhere in a listed state",
  zip_and_state: "A listed ZIP, and only in a listed state",
  zip_only: "A listed ZIP only",
};
const OP_WORDS: Record<(typeof CUSTOM_OPS)[number], string> = {
  equals: "is",
  in: "is one of",
  not_in: "is not one of",
  min: "is at least",
  max: "is at most",
  matches: "matches the pattern",
};

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface BuilderProps {
  fields: ContractFields;
  timeZone: string;
  currency: string;
  now: Date;
  /** The version to compare with: the one in force, or the one scheduled when none is in force yet. */
  inForce: { version: number; document: ContractDocument; standing: "in force" | "scheduled" } | null;
  nextVersion: number;
  /** A refusal from the server on publishing (e.g. an effective date before the latest version's). */
  serverProblem: { message: string; issues: ContractIssue[] } | null;
  busy: boolean;
}

function Section(props: { id: BuilderSectionId; check: BuilderCheck; children: ReactNode; hint?: ReactNode }) {
  const meta = BUILDER_SECTIONS.find((s) => s.id === props.id)!;
  const issues = props.check.issues.filter((i) => sectionOfPath(i.path) === props.id);
  const lines = props.check.reading[props.id];
  return (
    <fieldset className="builder-section" aria-labelledby={`b-${props.id}-title`}>
      <div className="builder-inputs">
        <h3 id={`b-${props.id}-title`} className="builder-title">
          {meta.title}
        </h3>
        {props.hint ? <p className="hint">{props.hint}</p> : null}
        {props.children}
      </div>
      <aside className="builder-reads" aria-label={`${meta.title} reads as`} aria-live="polite">
        {issues.length > 0 ? (
          <ul className="issue-list" aria-label={`Problems in ${meta.title.toLowerCase()}`}>
            {issues.map((i, k) => (
              <li key={k}>
                <span className="issue-where">{describeIssuePath(i.path)}</span>
                <span className="issue-message">{i.message}</span>
              </li>
            ))}
          </ul>
        ) : lines.length > 0 ? (
          <>
            <span className="reads-as-title">Reads as</span>
            {lines.map((l, k) => (
              <p key={k} className="builder-line">
                {l}
              </p>
            ))}
          </>
        ) : (
          <p className="muted small">Not part of the contract.</p>
        )}
      </aside>
    </fieldset>
  );
}

function Checkboxes(props: { name: string; label: string; options: { value: string; label: string }[]; checked: string[] }) {
  return (
    <div className="checkbox-row" role="group" aria-label={props.label}>
      {props.options.map((o) => (
        <label key={o.value} className="checkbox">
          <input type="checkbox" name={props.name} value={o.value} defaultChecked={props.checked.includes(o.value)} /> {o.label}
        </label>
      ))}
    </div>
  );
}

// eslint-disable-next-line max-lines-per-function -- page markup: the form's sections in document order, each a few lines
export function ContractBuilder(props: BuilderProps) {
  const { fields: f } = props;
  const form = useRef<HTMLFormElement>(null);
  const opts = { timeZone: props.timeZone, currency: props.currency, now: props.now, inForce: props.inForce?.document ?? null };
  const [check, setCheck] = useState<BuilderCheck>(() => checkContractFields(f, opts));
  const [tierRows, setTierRows] = useState(() => rowIndexes(f, "tiers").length);
  const [customRows, setCustomRows] = useState(() => rowIndexes(f, "custom").length);
  const hoursMode = one(f, "hours.mode") || "always";
  const recheck = () => {
    if (form.current) setCheck(checkContractFields(fieldsFromFormData(new FormData(form.current)), opts));
  };
  const addRow = (set: (fn: (n: number) => number) => void) => () => set((n) => n + 1);
  const reasons = [...new Set([...DISPUTE_REASONS, ...all(f, "disputes.reasons")])];
  const reasonOptions = reasons.map((r) => ({ value: r, label: capital(reasonLabel(r)) }));
  const blocked = check.issues.length > 0;
  const text = (name: string, label: string, extra: { hint?: string; placeholder?: string; inputMode?: "numeric" | "decimal"; type?: string } = {}) => (
    <label>
      {label}
      {extra.hint ? <span className="hint">{extra.hint}</span> : null}
      <input name={name} type={extra.type ?? "text"} defaultValue={one(f, name)} placeholder={extra.placeholder} inputMode={extra.inputMode} autoComplete="off" />
    </label>
  );

  return (
    <Form method="post" ref={form} className="contract-builder" onChange={recheck} onInput={recheck} preventScrollReset aria-label="Contract builder">
      <Section id="required" check={check} hint="A lead without these is rejected.">
        <Checkboxes name="requiredFields" label="Fields a lead must have" options={Object.entries(FIELD_WORDS).map(([value, label]) => ({ value, label }))} checked={all(f, "requiredFields")} />
        {text("requiredOther", "Other required fields", { hint: "Names of extra form fields, separated by commas (e.g. budget)." })}
      </Section>

      <Section id="area" check={check}>
        <label>
          ZIP codes
          <span className="hint">Paste a list: spaces, commas or one per line.</span>
          <textarea name="area.zips" className="short prose" rows={3} defaultValue={one(f, "area.zips")} />
        </label>
        {text("area.states", "States", { hint: "Two-letter codes, e.g. NY, NJ.", placeholder: "NY, NJ" })}
        <label>
          A lead is in the area when it has
          <select name="area.match" defaultValue={one(f, "area.match") || "zip_or_state"}>
            {SERVICE_AREA_MATCHES.map((m) => (
              <option key={m} value={m}>
                {MATCH_WORDS[m]}
              </option>
            ))}
          </select>
        </label>
      </Section>

      <Section id="calls" check={check}>
        {text("minCallSeconds", "Minimum conversation (seconds)", { inputMode: "numeric", hint: "A tracked call shorter than this is not a lead." })}
      </Section>

      <Section id="hours" check={check} hint="In the client's time zone. A day without hours is closed.">
        <div className="checkbox-row" role="radiogroup" aria-label="When leads count">
          <label className="checkbox">
            <input type="radio" name="hours.mode" value="always" defaultChecked={hoursMode !== "limited"} /> At any hour
          </label>
          <label className="checkbox">
            <input type="radio" name="hours.mode" value="limited" defaultChecked={hoursMode === "limited"} /> Only during these hours
          </label>
        </div>
        <div className="builder-hours">
          {WEEKDAYS.map((day) => (
            <div key={day} className="builder-day" role="group" aria-label={WEEKDAY_NAMES[day]}>
              <span className="builder-day-name">{WEEKDAY_NAMES[day]}</span>
              {rowIndexes(f, `hours.${day}`).map((i) => (
                <span key={i} className="builder-range">
                  <input type="time" name={`hours.${day}.${i}.from`} defaultValue={one(f, `hours.${day}.${i}.from`)} aria-label={`${WEEKDAY_NAMES[day]} ${i === 0 ? "opens" : "opens again"}`} />
                  <span aria-hidden="true">–</span>
                  <input type="time" name={`hours.${day}.${i}.to`} defaultValue={one(f, `hours.${day}.${i}.to`)} aria-label={`${WEEKDAY_NAMES[day]} ${i === 0 ? "closes" : "closes again"}`} />
                </span>
              ))}
            </div>
          ))}
        </div>
      </Section>

      <Section id="duplicate" check={check}>
        <label className="checkbox">
          <input type="checkbox" name="dup.on" defaultChecked={one(f, "dup.on") === "on"} /> Reject a lead seen before
        </label>
        {text("dup.windowDays", "Within (days)", { inputMode: "numeric" })}
        <span className="label-like">Same</span>
        <Checkboxes name="dup.fields" label="Duplicate when the same" options={[{ value: "phone", label: "Phone" }, { value: "email", label: "E-mail" }]} checked={all(f, "dup.fields")} />
      </Section>

      <Section id="blocked" check={check} hint="Spaces, commas or one per line.">
        <label>
          Blocked phones
          <span className="hint">In international format, e.g. +12125550100.</span>
          <textarea name="blocked.phones" className="short prose" rows={2} defaultValue={one(f, "blocked.phones")} />
        </label>
        <label>
          Blocked e-mails
          <textarea name="blocked.emails" className="short prose" rows={2} defaultValue={one(f, "blocked.emails")} />
        </label>
        <label>
          Blocked e-mail domains
          <textarea name="blocked.domains" className="short prose" rows={2} defaultValue={one(f, "blocked.domains")} />
        </label>
      </Section>

      <Section id="custom" check={check} hint="A rule on a form field; a lead that does not meet it is rejected. Lists are separated by commas.">
        <div className="builder-rows">
          {Array.from({ length: customRows }, (_, i) => (
            <div key={i} className="builder-row" role="group" aria-label={`Rule ${i + 1}`}>
              <input name={`custom.${i}.field`} defaultValue={one(f, `custom.${i}.field`)} aria-label={`Rule ${i + 1} field`} placeholder="field, e.g. budget" autoComplete="off" />
              <select name={`custom.${i}.op`} defaultValue={one(f, `custom.${i}.op`) || "equals"} aria-label={`Rule ${i + 1} operator`}>
                {CUSTOM_OPS.map((op) => (
                  <option key={op} value={op}>
                    {OP_WORDS[op]}
                  </option>
                ))}
              </select>
              <input name={`custom.${i}.value`} defaultValue={one(f, `custom.${i}.value`)} aria-label={`Rule ${i + 1} value`} placeholder="value" autoComplete="off" />
            </div>
          ))}
        </div>
        <button type="button" className="secondary small-btn" onClick={addRow(setCustomRows)}>
          Add a rule
        </button>
      </Section>

      <Section id="spam" check={check}>
        <label className="checkbox">
          <input type="checkbox" name="spam.rejectInvalidPhone" defaultChecked={one(f, "spam.rejectInvalidPhone") === "on"} /> Reject phone numbers that cannot be dialled
        </label>
        <label className="checkbox">
          <input type="checkbox" name="spam.honeypot" defaultChecked={one(f, "spam.honeypot") === "on"} /> Reject forms that fill in the hidden spam trap
        </label>
      </Section>

      <Section id="price" check={check} hint="Amounts in dollars. Volume tiers count billable leads in the client's calendar month; leave “up to” empty on the last tier.">
        {text("price.lead", "Price per lead", { inputMode: "decimal", placeholder: "75.00" })}
        <div className="table-wrap">
          <table className="builder-tiers">
            <caption className="label-like">Volume tiers</caption>
            <thead>
              <tr>
                <th scope="col">Up to (leads)</th>
                <th scope="col">Price per lead</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: tierRows }, (_, i) => (
                <tr key={i}>
                  <td>
                    <input name={`tiers.${i}.upTo`} defaultValue={one(f, `tiers.${i}.upTo`)} inputMode="numeric" aria-label={`Tier ${i + 1} up to`} placeholder="and beyond" autoComplete="off" />
                  </td>
                  <td>
                    <input name={`tiers.${i}.price`} defaultValue={one(f, `tiers.${i}.price`)} inputMode="decimal" aria-label={`Tier ${i + 1} price`} autoComplete="off" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <button type="button" className="secondary small-btn" onClick={addRow(setTierRows)}>
          Add a tier
        </button>
      </Section>

      <Section id="retainer" check={check}>
        {text("price.retainer", "Monthly retainer", { inputMode: "decimal", placeholder: "0.00" })}
        <label>
          A first or last partial month
          <select name="price.proration" defaultValue={one(f, "price.proration") || "daily"}>
            <option value="daily">is billed by the day</option>
            <option value="none">is billed in full</option>
          </select>
        </label>
      </Section>

      <Section id="won" check={check} hint="Charged when the client marks a lead won (or their CRM reports it).">
        {text("price.acquisition", "Acquisition fee", { inputMode: "decimal", placeholder: "0.00" })}
        {text("price.revshare", "Revenue share (%)", { inputMode: "decimal", placeholder: "0" })}
      </Section>

      <Section id="cap" check={check} hint="Leads past the cap stay qualified but are not charged. Leave both empty for no cap.">
        {text("cap.leads", "Billable leads per month", { inputMode: "numeric" })}
        {text("cap.spend", "Spend per month", { inputMode: "decimal" })}
      </Section>

      <Section id="disputes" check={check}>
        {text("disputes.windowDays", "Days to dispute a lead", { inputMode: "numeric", hint: "0: leads cannot be disputed." })}
        <span className="label-like">Reasons a client may give</span>
        <Checkboxes name="disputes.reasons" label="Reasons a client may give" options={reasonOptions} checked={all(f, "disputes.reasons")} />
        <span className="label-like">Approved automatically</span>
        <Checkboxes name="disputes.autoApprove" label="Approved automatically" options={reasonOptions} checked={all(f, "disputes.autoApprove")} />
        {text("disputes.responseDays", "Agency answers within (days)", { inputMode: "numeric", hint: "Unanswered disputes are approved after this." })}
        {text("disputes.maxReturnRate", "Maximum return rate (%)", { inputMode: "decimal", hint: "Empty: no limit." })}
      </Section>

      <Section id="effective" check={check} hint={`Leave empty to take effect when you publish. In ${props.timeZone}.`}>
        {text("takesEffect", "Effective from", { type: "datetime-local" })}
      </Section>

      <section className="builder-summary" aria-label="Before you publish">
        {props.serverProblem ? (
          <div className="alert error" role="alert">
            <strong>Nothing was published.</strong> {props.serverProblem.message}
            {props.serverProblem.issues.length > 0 ? (
              <ul>
                {props.serverProblem.issues.map((i, k) => (
                  <li key={k}>
                    {describeIssuePath(i.path)}: {i.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {blocked ? (
          <div className="alert error" role="status">
            {check.issues.length === 1 ? "One problem to fix" : `${check.issues.length} problems to fix`} before publishing — each is shown beside its section.
          </div>
        ) : (
          <div aria-label="What would change">
            <h3 className="reads-as-title">{props.inForce ? `What would change from version ${props.inForce.version} (${props.inForce.standing})` : "What would change"}</h3>
            {check.changes && check.changes.length === 0 ? (
              <p>Nothing — this is the same as version {props.inForce?.version}.</p>
            ) : (
              <ul className="change-list">
                {(check.changes ?? []).map((c, i) => (
                  <li key={i}>{c}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <details className="builder-json">
          <summary>The same contract as JSON</summary>
          <pre className="code-sample" aria-label="The form as a contract document">
            {formatContractJson(check.document)}
          </pre>
        </details>
        <div className="actions">
          <button type="submit" name="intent" value="check-form" className="secondary" disabled={props.busy}>
            Update the reading
          </button>
          <button type="submit" name="intent" value="publish-form" disabled={props.busy || blocked}>
            Publish from the form as version {props.nextVersion}
          </button>
        </div>
      </section>
    </Form>
  );
}
