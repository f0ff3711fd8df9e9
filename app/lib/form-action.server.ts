import { data } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z } from "zod";
import { formFailure } from "./guards.server";

/**
 * Typed Remix actions: a form is read with a zod schema (one object per `intent`, joined with
 * `z.discriminatedUnion("intent", …)`), then one handler runs with typed input, and a failed call
 * becomes the form's failure (message, per-field errors from the domain's issues, what was typed).
 *
 * The schemas only *read* the form: every field reader is as lenient as FormData is (a missing
 * input is ""), and the server stays the one that validates, so its messages and field paths
 * reach the page unchanged. What the schema does decide is which intent runs: an unknown one is
 * a 400 "Unknown action" page, as before.
 *
 * A route builds its schema in a function (`const numbersForm = () => z.discriminatedUnion(…)`):
 * the top level of a route module also runs in the browser, where this module is empty, and a
 * function that only the action calls is dropped from the browser bundle, zod with it.
 */

// ---------------------------------------------------------------------------------------------
// Field readers

/** FormData as an object: a name sent once is its value, a name sent more than once a list. */
export function formObject(form: FormData): Record<string, FormDataEntryValue | FormDataEntryValue[]> {
  const out: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
  for (const [k, v] of form.entries()) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
/**
 * Readers are preprocessors: zod runs them for a missing input too (a key whose schema accepts
 * undefined would be left out instead, and a transform behind it would never see it).
 */
const text = z.preprocess(first, z.string().catch(""));

export const field = {
  /** The text as typed; "" when the input is missing (like `form.get` of a text input). */
  text,
  /** Trimmed text. */
  trimmed: text.transform((s) => s.trim()),
  /** Trimmed text, or undefined when empty (the server applies its default). */
  optional: text.transform((s) => s.trim() || undefined),
  /** Trimmed text, or null when empty (the server clears the value). */
  nullable: text.transform((s) => s.trim() || null),
  /** A checkbox: true when ticked ("on"). */
  checkbox: z.preprocess((v) => first(v) === "on", z.boolean()),
  /** Every value sent under the name (checkbox groups, table rows), as text. */
  list: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string"), z.array(z.string())),
  /** One of a fixed set of values, or `fallback` for anything else. */
  oneOf<const T extends readonly string[], const F>(values: T, fallback: F) {
    return z.preprocess(
      (v) => {
        const x = first(v);
        return typeof x === "string" && values.includes(x) ? x : fallback;
      },
      z.custom<T[number] | F>(() => true),
    );
  },
};

/** Builds the schema of one intent: `intent("add-number", { phoneNumber: field.text })`. */
export function intent<const I extends string, S extends z.ZodRawShape>(name: I, shape: S) {
  return z.object({ intent: z.literal(name), ...shape });
}

/** Reads a form with a schema; a form that does not fit (an unknown intent) is the 400 page. */
export function readForm<S extends z.ZodType>(form: FormData, schema: S): z.output<S> {
  const parsed = schema.safeParse(formObject(form));
  if (!parsed.success) throw new Response("Unknown action", { status: 400 });
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// Failures

/** What a failed form action returns: the message, per-field errors (keys are joined issue paths) and what was typed. */
export interface ActionFailure {
  ok: false;
  intent: string;
  message: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
}

/** The text inputs of a form, to type them in again after a failure (files and `intent` left out). */
export function formValues(form: FormData, omit: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && k !== "intent" && !omit.includes(k)) out[k] = v;
  return out;
}

/**
 * A failure the page finds itself (before calling the server): one field and its message. The
 * form's summary line is the generic one unless `summary` says otherwise.
 */
export function fieldFailure<E extends object = object>(intent: string, field: string, message: string, values: Record<string, string>, opts: { summary?: string; extra?: E } = {}) {
  const summary = opts.summary ?? "Please correct the highlighted fields.";
  return data<ActionFailure & E>({ ok: false, intent, message: summary, fieldErrors: { [field]: message }, values, ...(opts.extra as E) }, { status: 400 });
}

export interface FormActionOptions<E extends object> {
  /** What goes back into the inputs after a failure; default: every text input of the form. */
  values?: Record<string, string>;
  /** More fields on a failure (e.g. the row it belongs to). */
  extra?: E;
  /** The status of a failure; 400 unless the page has always answered otherwise. */
  status?: number;
  /**
   * A rule the domain refused (window closed, note missing for "other" …) keeps the domain's own
   * sentence instead of the generic "correct the highlighted fields", and the status that fits
   * the refusal (409, 422 …).
   */
  domainMessages?: boolean;
}

/**
 * Runs an action: reads `form` with `schema`, calls `handle` with the typed input, and turns an
 * error of the server call into an ActionFailure. A thrown Response (redirect, 404 page) passes
 * through; tRPC NOT_FOUND/FORBIDDEN become the error page (formFailure); anything else is a bug and
 * is rethrown.
 */
export async function formAction<S extends z.ZodType<{ intent: string }>, R, E extends object = object>(
  form: FormData,
  schema: S,
  handle: (input: z.output<S>) => Promise<R>,
  opts: Omit<FormActionOptions<E>, "values"> & { values?: Record<string, string> | ((input: z.output<S>) => Record<string, string>) } = {},
) {
  const input = readForm(form, schema);
  try {
    return await handle(input);
  } catch (e) {
    if (e instanceof Response) throw e;
    const values = typeof opts.values === "function" ? opts.values(input) : (opts.values ?? formValues(form));
    return actionFailure(e, input.intent, { ...opts, values });
  }
}

/** An error of a server call → the form's failure (NOT_FOUND/FORBIDDEN throw the error page, anything not from tRPC is rethrown). */
export function actionFailure<E extends object = object>(e: unknown, intent: string, opts: FormActionOptions<E> & { values: Record<string, string> }) {
  const f = formFailure(e);
  const err = e as { code?: string; cause?: { code?: unknown; message?: unknown } };
  const fromDomain = opts.domainMessages && typeof err.cause?.code === "string" && typeof err.cause.message === "string";
  const message = fromDomain ? String(err.cause!.message) : f.message;
  const status = opts.status ?? (opts.domainMessages ? refusalStatus(e) : 400);
  return data<ActionFailure & E>({ ok: false, intent, message, fieldErrors: f.fieldErrors, values: opts.values, ...(opts.extra as E) }, { status });
}

/** The HTTP status tRPC gives the refusal (409, 422 …); 400 for anything that is not a 4xx refusal. */
function refusalStatus(e: unknown): number {
  if (!(e instanceof TRPCError)) return 400;
  const status = getHTTPStatusCodeFromError(e);
  return status >= 400 && status < 500 ? status : 400;
}
