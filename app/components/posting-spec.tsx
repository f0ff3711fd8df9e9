import { dateOnly } from "~/lib/format";
import { CopyButton } from "./setup";
import type { RouterOutputs } from "~/lib/api";

/** A posting spec as loaders return it (dates serialized). */
/** What `postingSpecs.public` returns; `postingSpecs.get` returns the same and more (the share link). */
export type PostingSpecData = RouterOutputs["postingSpecs"]["public"];

function rate(a: PostingSpecData["acceptance"]): string {
  if (a.rateBps === null) return `No leads judged in the last ${a.days} days yet.`;
  const pct = (a.rateBps / 100).toFixed(a.rateBps % 100 === 0 ? 0 : 1);
  return `${pct}% qualified: ${a.qualified} of ${a.judged} leads in the last ${a.days} days (test leads not counted).`;
}

/**
 * What a vendor needs to post leads to one form or with one API key: shown in the console and on
 * the public link (/spec/:token). Read-only; nothing on it is secret (an API key's spec never
 * shows the key).
 */
// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
export function PostingSpecView({ spec, idPrefix = "spec" }: { spec: PostingSpecData; idPrefix?: string }) {
  const body = JSON.stringify(spec.sampleBody, null, 2);
  return (
    <>
      <section className="card" aria-labelledby={`${idPrefix}-endpoint`}>
        <h2 id={`${idPrefix}-endpoint`} className="card-title">
          Where to send leads
        </h2>
        <dl className="facts stack-narrow">
          <dt>Request</dt>
          <dd className="mono break">
            {spec.endpoint.method} {spec.endpoint.url}
          </dd>
          <dt>Content-Type</dt>
          <dd className="mono">{spec.endpoint.contentTypes.join(" or ")}</dd>
          <dt>Authentication</dt>
          <dd>{spec.endpoint.auth}</dd>
          <dt>Contract</dt>
          <dd>
            {spec.contractVersion
              ? `Version ${spec.contractVersion.version}, in force since ${dateOnly(spec.contractVersion.effectiveFrom)}`
              : "No contract in force yet: leads are kept and judged once one is published."}
          </dd>
          <dt>Acceptance</dt>
          <dd data-testid="acceptance">{rate(spec.acceptance)}</dd>
        </dl>
        {spec.testing ? (
          <p className="alert" role="note" data-testid="testing">
            {spec.testing}
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby={`${idPrefix}-fields`}>
        <h2 id={`${idPrefix}-fields`} className="card-title">
          Fields
        </h2>
        <div className="table-wrap">
          <table className="stack-table">
            <thead>
              <tr>
                <th>Field</th>
                <th>Type</th>
                <th>Required</th>
                <th>Allowed values</th>
              </tr>
            </thead>
            <tbody>
              {spec.fields.map((f) => (
                <tr key={f.name}>
                  <td className="mono" data-label="Field">
                    {f.name}
                  </td>
                  <td data-label="Type">{f.type}</td>
                  <td data-label="Required">{f.required ? "Required" : "Optional"}</td>
                  <td data-label="Allowed values">{f.options ? `one of ${f.options.map((o) => JSON.stringify(o)).join(", ")}` : (f.allowed ?? <span className="muted">Any</span>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {spec.rules.length ? (
          <>
            <h3>The contract&apos;s rules</h3>
            <ul>
              {spec.rules.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section className="card" aria-labelledby={`${idPrefix}-sample`}>
        <h2 id={`${idPrefix}-sample`} className="card-title">
          Sample request
        </h2>
        <label htmlFor={`${idPrefix}-curl`}>curl</label>
        <textarea id={`${idPrefix}-curl`} className="snippet" readOnly value={spec.sampleCurl} rows={spec.sampleCurl.split("\n").length + 1} spellCheck={false} data-testid="sample-curl" />
        <CopyButton targetId={`${idPrefix}-curl`} label="Copy curl" />
        <label htmlFor={`${idPrefix}-body`}>JSON body</label>
        <textarea id={`${idPrefix}-body`} className="snippet" readOnly value={body} rows={body.split("\n").length + 1} spellCheck={false} data-testid="sample-body" />
        <CopyButton targetId={`${idPrefix}-body`} label="Copy body" />
      </section>

      <section className="card" aria-labelledby={`${idPrefix}-answers`}>
        <h2 id={`${idPrefix}-answers`} className="card-title">
          Answers
        </h2>
        {spec.answers.map((a) => (
          <div key={a.status}>
            <h3>
              <span className="mono">{a.status}</span>: {a.when}
            </h3>
            <pre className="code-sample">{JSON.stringify(a.example, null, 2)}</pre>
          </div>
        ))}
        {spec.reasons.length ? (
          <>
            <h3>Reasons this contract can give</h3>
            <ul>
              {spec.reasons.map((r) => (
                <li key={r.code}>
                  <span className="mono">{r.code}</span>: {r.when}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </>
  );
}
