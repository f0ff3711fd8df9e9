import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { field, readForm } from "~/lib/form-action.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { z } from "zod";

export const meta: MetaFunction = () => [{ title: "Sign in · LeadLedger" }];


export async function loader({ context }: LoaderFunctionArgs) {
  if (context.user) throw redirect(context.user.clientId ? "/portal" : "/agency");
  return { agencyName: context.agencyName };
}

const loginForm = () => z.object({ email: field.trimmed, password: field.text, redirectTo: field.text });

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const { email, password, redirectTo } = readForm(form, loginForm());
  if (!email || !password) {
    return data({ error: "Enter your e-mail and password.", email }, { status: 400 });
  }
  const result = await context.session.login(email, password);
  if (!result.ok) return data({ error: result.message, email }, { status: result.status });
  const home = result.role === "client_admin" || result.role === "client_member" ? "/portal" : "/agency";
  const to = safeRedirect(redirectTo, context.publicUrl, home);
  return redirect(to, { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="login-wrap">
      <div className="card login-card">
        <h1>Sign in</h1>
        <p className="subtitle">LeadLedger — leads, evidence and billing in one ledger.</p>
        {actionData?.error ? (
          <div className="alert error" role="alert">
            {actionData.error}
          </div>
        ) : null}
        <Form method="post" className="stack">
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
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
        </Form>
      </div>
    </div>
  );
}
