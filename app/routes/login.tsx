import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { field, readForm } from "~/lib/form-action.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { z } from "zod";

export const meta: MetaFunction = () => [{ title: "Sign in · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.user) throw redirect(context.user.clientId ? "/portal" : "/agency");
  const url = new URL(request.url);
  // "Start again" (?restart=1) shows the password step; signing in again replaces the open code step.
  const codeStep = context.session.codeStepOpen && url.searchParams.get("restart") !== "1";
  return { agencyName: context.agencyName, codeStep, reset: url.searchParams.get("reset") === "1" };
}

const loginForm = () =>
  z.object({ intent: field.oneOf(["password", "code"] as const, "password"), email: field.trimmed, password: field.text, code: field.trimmed, redirectTo: field.text });

function cookies(setCookie: string[] | undefined): Headers {
  const headers = new Headers();
  for (const c of setCookie ?? []) headers.append("Set-Cookie", c);
  return headers;
}

type Step = "password" | "code";

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const { intent, email, password, code, redirectTo } = readForm(form, loginForm());
  const home = (role: string) => (role === "client_admin" || role === "client_member" ? "/portal" : "/agency");
  if (intent === "code") {
    if (!code) return data({ error: "Enter the code from your authenticator app.", email, step: "code" as Step }, { status: 400 });
    const r = await context.session.verifyCode(code);
    if (r.ok) return redirect(safeRedirect(redirectTo, context.publicUrl, home(r.role)), { headers: cookies(r.setCookie) });
    if (r.code) return data({ error: null, email, step: "code" as Step }, { headers: cookies(r.setCookie) });
    return data({ error: r.message, email, step: (r.restart ? "password" : "code") as Step }, { status: r.status, headers: cookies(r.setCookie) });
  }
  if (!email || !password) {
    return data({ error: "Enter your e-mail and password.", email, step: "password" as Step }, { status: 400 });
  }
  const result = await context.session.login(email, password);
  if (result.ok) return redirect(safeRedirect(redirectTo, context.publicUrl, home(result.role)), { headers: cookies(result.setCookie) });
  if (result.code) return data({ error: null, email, step: "code" as Step }, { headers: cookies(result.setCookie) });
  return data({ error: result.message, email, step: "password" as Step }, { status: result.status });
}

export default function Login() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const step: Step = actionData?.step ?? (loaded.codeStep ? "code" : "password");
  const redirectTo = <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />;
  return (
    <div className="login-wrap">
      <div className="card login-card">
        <h1>{step === "code" ? "Two-factor sign-in" : "Sign in"}</h1>
        <p className="subtitle">LeadLedger — leads, evidence and billing in one ledger.</p>
        {loaded.reset && !actionData ? (
          <div className="alert success" role="status">
            Your password was changed and every session signed out. Sign in with the new password.
          </div>
        ) : null}
        {actionData?.error ? (
          <div className="alert error" role="alert">
            {actionData.error}
          </div>
        ) : null}
        {step === "code" ? (
          <Form method="post" className="stack" key="code">
            <input type="hidden" name="intent" value="code" />
            {redirectTo}
            <p>Your password was right. Enter the 6-digit code your authenticator app shows now — or one of your recovery codes.</p>
            <label>
              Code
              <input name="code" inputMode="numeric" autoComplete="one-time-code" required autoFocus maxLength={20} />
            </label>
            <button type="submit" disabled={busy}>
              {busy ? "Checking…" : "Verify"}
            </button>
            <p className="small">
              <Link to="/login?restart=1" reloadDocument>
                Start again with your e-mail and password
              </Link>
            </p>
          </Form>
        ) : (
          <Form method="post" className="stack" key="password">
            <input type="hidden" name="intent" value="password" />
            {redirectTo}
            <label>
              E-mail
              <input name="email" type="email" autoComplete="username" required defaultValue={actionData?.email ?? ""} autoFocus />
            </label>
            <label>
              Password
              <input name="password" type="password" autoComplete="current-password" required />
            </label>
            <button type="submit" disabled={busy}>
              {busy ? "Signing in…" : "Sign in"}
            </button>
            <p className="small">
              <Link to="/forgot-password">Forgot your password?</Link>
            </p>
          </Form>
        )}
      </div>
    </div>
  );
}
