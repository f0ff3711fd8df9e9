import { Form, Link } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { ActionFailure } from "~/lib/form-action.server";

/**
 * Pieces shared by the client set-up pages (contract, campaigns & forms, API keys, tracking
 * numbers): the id check for route params, field-error lookup, a copy button and a confirm panel.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A route param that must be an id; anything else is the 404 page. */
export function idParam(value: string | undefined | null, what = "record"): string {
  if (!value || !UUID.test(value)) throw new Response(`No such ${what}.`, { status: 404 });
  return value;
}

/** An optional id from the query string (?form=…); a malformed one is ignored. */
export function optionalId(value: string | null): string | null {
  return value && UUID.test(value) ? value : null;
}

/** What a failed form action returns (see formAction). */
export type SetupFailure = ActionFailure;

/**
 * The error for one input: the exact key ("thankYouUrl"), or the first nested one
 * ("allowedOrigins.2" → "line 3: …"; "fieldMapping.your_phone" → "“your_phone”: …").
 */
export function errorFor(fieldErrors: Record<string, string> | undefined, name: string, lines?: string[]): string | undefined {
  if (!fieldErrors) return undefined;
  if (fieldErrors[name]) return fieldErrors[name];
  const key = Object.keys(fieldErrors).find((k) => k.startsWith(`${name}.`));
  if (!key) return undefined;
  const rest = key.slice(name.length + 1);
  if (/^\d+$/.test(rest)) {
    const i = Number(rest);
    const value = lines?.[i];
    return `line ${i + 1}${value ? ` (${value})` : ""}: ${fieldErrors[key]}`;
  }
  return `“${rest}”: ${fieldErrors[key]}`;
}

/** Splits a textarea of one-per-line values (commas and spaces also separate). */
export function lines(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Props that wire an input to its inline error (aria-invalid + aria-describedby). */
export function invalidProps(message: string | undefined, errorId: string) {
  return { "aria-invalid": message ? true : undefined, "aria-describedby": message ? errorId : undefined } as const;
}

/**
 * Copies the value of the input/textarea with `targetId`. Uses the async clipboard API and falls
 * back to selecting the text (so Ctrl+C / ⌘C works) when the browser refuses.
 */
export function CopyButton(props: { targetId: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "select">("idle");
  async function copy() {
    const el = document.getElementById(props.targetId) as HTMLInputElement | HTMLTextAreaElement | null;
    if (!el) return;
    try {
      await navigator.clipboard.writeText(el.value);
      setState("copied");
    } catch {
      el.focus();
      el.select();
      setState("select");
    }
  }
  return (
    <span className="copy-row">
      <button type="button" className="secondary" onClick={copy} aria-controls={props.targetId}>
        {props.label ?? "Copy"}
      </button>
      <span className="muted small" role="status" aria-live="polite">
        {state === "copied" ? "Copied to the clipboard." : state === "select" ? "Selected — press Ctrl+C (⌘C on a Mac) to copy." : ""}
      </span>
    </span>
  );
}

/**
 * "Are you sure?" for destructive actions, reached through a link (…?revoke=<id>) so it works
 * without JavaScript. It takes focus when it appears, so keyboard users land on it.
 */
export function ConfirmPanel(props: { title: string; children: ReactNode; intent: string; id: string; confirmLabel: string; cancelTo: string; busy?: boolean }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), [props.id]);
  return (
    <section className="card confirm-panel" aria-labelledby="confirm-title" aria-describedby="confirm-body" tabIndex={-1} ref={ref}>
      <h2 id="confirm-title" className="card-title">
        {props.title}
      </h2>
      <div id="confirm-body">{props.children}</div>
      <Form method="post" className="actions" preventScrollReset>
        <input type="hidden" name="intent" value={props.intent} />
        <input type="hidden" name="id" value={props.id} />
        <button type="submit" className="danger" disabled={props.busy}>
          {props.confirmLabel}
        </button>
        <Link className="button secondary" to={props.cancelTo} preventScrollReset>
          Cancel
        </Link>
      </Form>
    </section>
  );
}

/** The banner at the top of a form: what went wrong overall, or what just worked. */
export function FormMessage(props: { failure?: { message: string } | null; success?: ReactNode; warning?: ReactNode }) {
  return (
    <>
      {props.failure ? (
        <div className="alert error" role="alert">
          {props.failure.message}
        </div>
      ) : null}
      {props.success ? (
        <div className="alert success" role="status">
          {props.success}
        </div>
      ) : null}
      {props.warning ? (
        <div className="alert warn" role="status">
          {props.warning}
        </div>
      ) : null}
    </>
  );
}
