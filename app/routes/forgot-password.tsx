import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { field, readForm } from "~/lib/form-action.server";
import { z } from "zod";

export const meta: MetaFunction = () => [{ title: "Reset your password · LeadLedger" }];

export function loader({ context }: LoaderFunctionArgs) {
  if (context.user) throw redirect(context.user.clientId ? "/portal" : "/agency");
  return null;
}

const forgotForm = () => z.object({ email: field.trimmed });

/** The same answer for every address, so the page tells nobody who has an account. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { email } = readForm(await request.formData(), forgotForm());
  if (!email) return data({ sent: false, error: "Enter the e-mail address you sign in with.", email }, { status: 400 });
  const r = await context.session.requestPasswordReset(email);
  if (!r.ok) return data({ sent: false, error: r.message, email }, { status: r.status });
  return data({ sent: true, error: null, email });
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="login-wrap">
      <div className="card login-card">
        <h1>Reset your password</h1>
        {actionData?.sent ? (
          <div className="alert success" role="status">
            If an account uses {actionData.email}, we have sent it a link to choose a new password. The link works once, for one hour.
          </div>
        ) : (
          <>
            <p className="subtitle">Enter the e-mail you sign in with. We will send a link to choose a new password.</p>
            {actionData?.error ? (
              <div className="alert error" role="alert">
                {actionData.error}
              </div>
            ) : null}
            <Form method="post" className="stack">
              <label>
                E-mail
                <input name="email" type="email" autoComplete="username" required defaultValue={actionData?.email ?? ""} autoFocus />
              </label>
              <button type="submit" disabled={busy}>
                {busy ? "Sending…" : "Send the link"}
              </button>
            </Form>
          </>
        )}
        <p className="small">
          <Link to="/login">Back to sign in</Link>
        </p>
      </div>
    </div>
  );
}
