import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Sign out · LeadLedger" }];

/** Signing out is a POST from a form; a GET (a link, an <img> on another site) only shows the button. */
export async function action({ context }: ActionFunctionArgs) {
  const setCookie = await context.session.logout();
  return redirect("/login", { headers: { "Set-Cookie": setCookie } });
}

export function loader({ context }: LoaderFunctionArgs) {
  if (!context.user) throw redirect("/login");
  return null;
}

export default function Logout() {
  return (
    <div className="login-wrap">
      <div className="card login-card">
        <h1>Sign out</h1>
        <p className="subtitle">Sign out of LeadLedger on this browser?</p>
        <Form method="post" className="stack">
          <button type="submit">Sign out</button>
        </Form>
      </div>
    </div>
  );
}
