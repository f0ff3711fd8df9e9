import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FieldError } from "~/components/layout";
import { field, readForm } from "~/lib/form-action.server";
import { z } from "zod";

export const meta: MetaFunction = () => [{ title: "Choose a new password · LeadLedger" }];

/** The link from the e-mail: /reset-password?token=…; a used or expired link says so instead of showing the form. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token, open: token ? await context.session.resetLinkIsOpen(token) : false };
}

const resetForm = () => z.object({ token: field.text, password: field.text, confirm: field.text });

export async function action({ request, context }: ActionFunctionArgs) {
  const { token, password, confirm } = readForm(await request.formData(), resetForm());
  if (password !== confirm) return data({ error: "The two passwords are not the same.", fieldErrors: { confirm: "must match the new password" } as Record<string, string> }, { status: 400 });
  const r = await context.session.resetPassword(token, password);
  if (!r.ok) return data({ error: r.message, fieldErrors: r.fieldErrors }, { status: r.status });
  throw redirect("/login?reset=1");
}

export default function ResetPassword() {
  const { token, open } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const fe = actionData?.fieldErrors ?? {};
  return (
    <div className="login-wrap">
      <div className="card login-card">
        <h1>Choose a new password</h1>
        {!open ? (
          <div className="alert error" role="alert">
            This reset link has expired or was already used. <Link to="/forgot-password">Ask for a new one.</Link>
          </div>
        ) : (
          <>
            <p className="subtitle">Every browser signed in to this account is signed out when you save it.</p>
            {actionData?.error ? (
              <div className="alert error" role="alert">
                {actionData.error}
              </div>
            ) : null}
            <Form method="post" className="stack">
              <input type="hidden" name="token" value={token} />
              <label>
                New password <span className="hint">At least 10 characters.</span>
                <input name="password" type="password" autoComplete="new-password" required minLength={10} aria-invalid={fe.password ? true : undefined} aria-describedby="password-error" />
                <FieldError id="password-error" message={fe.password} />
              </label>
              <label>
                The same again
                <input name="confirm" type="password" autoComplete="new-password" required aria-invalid={fe.confirm ? true : undefined} aria-describedby="confirm-error" />
                <FieldError id="confirm-error" message={fe.confirm} />
              </label>
              <button type="submit" disabled={busy}>
                {busy ? "Saving…" : "Save the new password"}
              </button>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
