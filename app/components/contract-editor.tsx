import { Form } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { describeIssuePath, type ContractIssue, type JsonSyntaxProblem } from "~/lib/contract-json";
import { dateTime } from "~/lib/format";
import { ReadsAs } from "./contract";

/**
 * The contract editor: a JSON textarea with "Check" (preview) and "Publish", and the panel that
 * shows the result. The pure helpers it shows with are in ~/lib/contract-json.
 */

// ---------------------------------------------------------------------------------------------
// The editor
// ---------------------------------------------------------------------------------------------

export type EditorResult =
  | { kind: "syntax"; problem: JsonSyntaxProblem }
  | { kind: "issues"; intent: "check" | "publish"; message: string; issues: ContractIssue[] }
  | { kind: "preview"; description: string[]; changes: string[]; against: { version: number; effectiveFrom: string | Date } | null };

const TEXTAREA_ID = "contract-document";

function ResultPanel({ result, timeZone }: { result: EditorResult; timeZone: string }) {
  if (result.kind === "syntax") {
    const p = result.problem;
    const goTo = () => {
      const ta = document.getElementById(TEXTAREA_ID) as HTMLTextAreaElement | null;
      if (!ta) return;
      ta.focus();
      ta.setSelectionRange(p.offset, Math.min(p.offset + 1, ta.value.length));
    };
    return (
      <>
        <div className="alert error" role="alert">
          <strong>The JSON could not be read, so nothing was checked or published.</strong>
        </div>
        <p>
          <strong>
            Line {p.line}, column {p.column}:
          </strong>{" "}
          {/[.?!]$/.test(p.message) ? p.message : `${p.message}.`}
        </p>
        <pre className="json-excerpt" aria-label={`Line ${p.line} of the document`}>
          <span className="muted">{String(p.line).padStart(4)} | </span>
          {p.lineText}
          {"\n"}
          <span aria-hidden="true">{" ".repeat(7 + p.column - 1)}^</span>
        </pre>
        <button type="button" className="secondary small-btn" onClick={goTo}>
          Show it in the editor
        </button>
      </>
    );
  }
  if (result.kind === "issues") {
    const n = result.issues.length;
    return (
      <>
        <div className="alert error" role="alert">
          <strong>{result.intent === "publish" ? "Nothing was published." : "The document is not valid yet."}</strong>{" "}
          {n > 0 ? `Fix ${n === 1 ? "this problem" : `these ${n} problems`}, then check again.` : result.message}
        </div>
        {n > 0 ? (
          <ul className="issue-list" aria-label="Problems in the document">
            {result.issues.map((i, k) => (
              <li key={k}>
                <span className="issue-where">{describeIssuePath(i.path)}</span>
                {i.path.length > 0 ? <code className="issue-path">{i.path.join(".")}</code> : null}
                <span className="issue-message">{i.message}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </>
    );
  }
  return (
    <>
      <div className="alert success" role="status">
        <strong>The document is valid.</strong> Nothing has been published yet.
      </div>
      <ReadsAs lines={result.description} />
      <section aria-label="What would change">
        <h3 className="reads-as-title">{result.against ? `What would change from version ${result.against.version}` : "What would change"}</h3>
        {result.against ? (
          <p className="muted small">
            Version {result.against.version} took effect {dateTime(result.against.effectiveFrom, timeZone)}.
          </p>
        ) : null}
        {result.changes.length === 0 ? (
          <p>Nothing — this document is the same as version {result.against?.version}.</p>
        ) : (
          <ul className="change-list">
            {result.changes.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function Help() {
  return (
    <div className="editor-help">
      <h3 className="reads-as-title">How to write it</h3>
      <ul className="small">
        <li>
          <code>effectiveFrom</code> (optional): when the version starts judging leads, e.g. <code>"2026-12-01T00:00:00Z"</code>. Leave it out to start when you publish.
        </li>
        <li>
          <code>qualification</code>: required fields, service area (5-digit ZIPs, two-letter states), minimum call seconds, business hours per day (<code>mon</code>…<code>sun</code>, a
          missing day is closed), duplicate window, blocked phones/e-mails, custom rules (<code>equals</code>, <code>in</code>, <code>not_in</code>, <code>min</code>, <code>max</code>,{" "}
          <code>matches</code>), and rules over the intake checks in <code>signals</code>, e.g.{" "}
          <code>{'{ "signal": "email.disposable", "op": "equals", "value": false }'}</code> or <code>{'{ "signal": "velocity.ipPerHour", "op": "max", "value": 3 }'}</code>.
        </li>
        <li>
          <code>pricing</code>: amounts in cents (<code>7500</code> = $75.00), revenue share in basis points (<code>1000</code> = 10%), volume tiers, monthly cap.
        </li>
        <li>
          <code>disputes</code>: window and response time in days, reasons, reasons approved automatically, maximum return rate in basis points, and reasons approved on the
          intake checks (<code>approveOnSignals</code>, e.g. <code>wrong_number</code> when <code>phone.valid</code> is <code>false</code>).
        </li>
      </ul>
      <p className="muted small">Press Check to see how the contract reads and what would change — nothing is saved until you press Publish.</p>
    </div>
  );
}

export function ContractEditor(props: { text: string; nextVersion: number; result: EditorResult | null; busy: boolean; timeZone: string }) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.result) panel.current?.focus();
  }, [props.result]);
  const invalid = props.result && props.result.kind !== "preview";
  return (
    <div className="contract-editor">
      <Form method="post" className="editor-form" preventScrollReset>
        <label htmlFor={TEXTAREA_ID}>
          Contract document (JSON)
          <span className="hint" id="contract-document-hint">
            Publishing creates version {props.nextVersion}. Versions never change once published; leads keep the version that judged them.
          </span>
        </label>
        <textarea
          id={TEXTAREA_ID}
          name="document"
          // A new result (or a reload after publishing) resets the text to what the server has.
          key={props.text}
          defaultValue={props.text}
          rows={30}
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? "contract-document-hint editor-result" : "contract-document-hint"}
        />
        <div className="actions">
          <button type="submit" name="intent" value="check" className="secondary" disabled={props.busy}>
            Check
          </button>
          <button type="submit" name="intent" value="publish" disabled={props.busy}>
            Publish version {props.nextVersion}
          </button>
        </div>
      </Form>
      <div className="editor-result" id="editor-result" ref={panel} tabIndex={-1} aria-label="Check result">
        {props.result ? <ResultPanel result={props.result} timeZone={props.timeZone} /> : <Help />}
      </div>
    </div>
  );
}
