import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FieldError } from "~/components/layout";
import { dateTime } from "~/lib/format";
import { field, formAction, intent } from "~/lib/form-action.server";
import { requireAgency } from "~/lib/guards.server";

/** The signed-in agency user's own account: the time zone times are shown in, and two-factor sign-in. */

export const meta: MetaFunction = () => [{ title: "Your account · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireAgency(context, request);
  const twoFactor = await context.caller.users.twoFactorStatus();
  return { email: user.email, timeZone: user.timeZone ?? "", twoFactorSince: user.totpEnabledAt, twoFactor, zones: Intl.supportedValuesOf("timeZone") };
}

const accountForm = () =>
  z.discriminatedUnion("intent", [
    intent("save-time-zone", { timeZone: field.trimmed }),
    intent("begin-two-factor", {}),
    intent("confirm-two-factor", { code: field.trimmed }),
    intent("disable-two-factor", { code: field.trimmed }),
  ]);

export async function action({ context, request }: ActionFunctionArgs) {
  requireAgency(context, request);
  return formAction(
    await request.formData(),
    accountForm(),
    async (input) => {
      switch (input.intent) {
        case "save-time-zone": {
          const u = await context.caller.users.updatePreferences({ timeZone: input.timeZone });
          return { ok: true as const, intent: input.intent, message: `Times are now shown in ${u.timeZone ?? "UTC"}.`, recoveryCodes: null };
        }
        case "begin-two-factor":
          await context.caller.users.beginTwoFactor();
          return { ok: true as const, intent: input.intent, message: null, recoveryCodes: null };
        case "confirm-two-factor": {
          const r = await context.caller.users.confirmTwoFactor({ code: input.code });
          return { ok: true as const, intent: input.intent, message: "Two-factor sign-in is on.", recoveryCodes: r.recoveryCodes };
        }
        case "disable-two-factor":
          await context.caller.users.disableTwoFactor({ code: input.code });
          return { ok: true as const, intent: input.intent, message: "Two-factor sign-in is off.", recoveryCodes: null };
      }
    },
    { domainMessages: true },
  );
}

// eslint-disable-next-line max-lines-per-function -- page markup: the time-zone and two-factor cards
export default function Account() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = (i: string) => (result && !result.ok && result.intent === i ? result : null);
  const done = (i: string) => (result && result.ok && result.intent === i ? result : null);
  const tf = d.twoFactor;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Your account</h1>
          <p className="subtitle">{d.email}</p>
        </div>
      </div>
      <section className="card" aria-labelledby="tz-heading">
        <h2 id="tz-heading" className="card-title">
          Time zone
        </h2>
        <p className="muted">The console shows times that belong to no single client (the audit log, alerts across clients) in this zone. A client's own pages use the client's zone.</p>
        {done("save-time-zone")?.message ? (
          <div className="alert success" role="status">
            {done("save-time-zone")!.message}
          </div>
        ) : null}
        <Form method="post" className="inline">
          <input type="hidden" name="intent" value="save-time-zone" />
          <label>
            Your time zone
            <select name="timeZone" defaultValue={d.timeZone}>
              <option value="">UTC</option>
              {d.zones.map((z) => (
                <option key={z} value={z}>
                  {z.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy}>
            Save time zone
          </button>
        </Form>
      </section>

      <section className="card" aria-labelledby="tf-heading">
        <h2 id="tf-heading" className="card-title">
          Two-factor sign-in
        </h2>
        {done("confirm-two-factor")?.recoveryCodes ? (
          <div className="secret-panel card" role="status">
            <p>
              <strong>Two-factor sign-in is on.</strong> Keep these recovery codes somewhere safe: each one signs you in once if you lose your phone. They are not shown again.
            </p>
            <ul className="recovery-codes" aria-label="Recovery codes">
              {done("confirm-two-factor")!.recoveryCodes!.map((c) => (
                <li key={c}>
                  <code>{c}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {done("disable-two-factor") ? (
          <div className="alert success" role="status">
            Two-factor sign-in is off. You sign in with your password alone.
          </div>
        ) : null}
        {tf.enabled ? (
          <>
            <p>
              <span className="badge ok">On</span> since {dateTime(d.twoFactorSince, d.timeZone || "UTC")} ({d.timeZone || "UTC"}). After your password, sign-in asks for the code from your authenticator app. {tf.recoveryCodesLeft} recovery code
              {tf.recoveryCodesLeft === 1 ? "" : "s"} left.
            </p>
            <Form method="post" className="inline" aria-label="Turn off two-factor sign-in" key="disable">
              <input type="hidden" name="intent" value="disable-two-factor" />
              <label>
                Current code (or a recovery code)
                <input name="code" autoComplete="one-time-code" required aria-invalid={failed("disable-two-factor") ? true : undefined} aria-describedby="disable-error" />
                <FieldError id="disable-error" message={failed("disable-two-factor")?.message} />
              </label>
              <button type="submit" className="danger" disabled={busy}>
                Turn off
              </button>
            </Form>
          </>
        ) : tf.pending ? (
          <>
            <ol className="steps">
              <li>
                In your authenticator app (Google Authenticator, 1Password, Authy …), add an account and type in this key:
                <div className="secret-row">
                  <input readOnly value={tf.pending.secret} aria-label="Key for the authenticator app" className="mono" />
                </div>
                Apps that take a link can use this one instead:
                <div className="secret-row">
                  <input readOnly value={tf.pending.uri} aria-label="Link for the authenticator app" className="mono" />
                </div>
              </li>
              <li>Enter the 6-digit code the app shows now.</li>
            </ol>
            <Form method="post" className="inline" aria-label="Turn on two-factor sign-in" key="confirm">
              <input type="hidden" name="intent" value="confirm-two-factor" />
              <label>
                Code from the app
                <input name="code" inputMode="numeric" autoComplete="one-time-code" required maxLength={10} aria-invalid={failed("confirm-two-factor") ? true : undefined} aria-describedby="confirm-error" />
                <FieldError id="confirm-error" message={failed("confirm-two-factor")?.message} />
              </label>
              <button type="submit" disabled={busy}>
                Turn on
              </button>
            </Form>
          </>
        ) : (
          <>
            <p>Off. With it on, signing in asks for a code from an app on your phone after your password, so a stolen password alone does not get in.</p>
            <Form method="post">
              <input type="hidden" name="intent" value="begin-two-factor" />
              <button type="submit" disabled={busy}>
                Set up two-factor sign-in
              </button>
            </Form>
          </>
        )}
      </section>
    </>
  );
}
