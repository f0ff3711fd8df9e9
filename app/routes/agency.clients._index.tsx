import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { EmptyState, FieldError } from "~/components/layout";
import { field, formAction, intent } from "~/lib/form-action.server";
import { requireAgency } from "~/lib/guards.server";

export const meta: MetaFunction = () => [{ title: "Clients · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const clients = await context.caller.clients.list();
  return { clients };
}

const clientsForm = () => intent("create-client", { name: field.text, timezone: field.text.transform((s) => s || undefined), currency: field.text.transform((s) => s || undefined) });

export async function action({ context, request }: ActionFunctionArgs) {
  requireAgency(context, request);
  return formAction(await request.formData(), clientsForm(), async ({ intent: _, ...fields }) => {
    const client = await context.caller.clients.create(fields);
    return { ok: true as const, created: client.name };
  });
}

const TIMEZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "Europe/London", "UTC"];

// eslint-disable-next-line max-lines-per-function -- a page's markup, top to bottom; its data and rules come from the loader, the action and shared components
export default function AgencyClients() {
  const { clients } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const fe = result && !result.ok ? result.fieldErrors : {};
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Clients</h1>
          <p className="subtitle">Every business you generate leads for. Open one to manage its people and setup.</p>
        </div>
      </div>
      <div className="card">
        {clients.length === 0 ? (
          <EmptyState title="No clients yet">Create your first client with the form below.</EmptyState>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Client</th>
                  <th>Time zone</th>
                  <th>Currency</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {clients.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/agency/clients/${c.id}`}>{c.name}</Link>
                    </td>
                    <td>{c.timezone}</td>
                    <td>{c.currency}</td>
                    <td>
                      <span className={`badge ${c.status === "active" ? "ok" : "warn"}`}>{c.status}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <div className="card">
        <h2 style={{ marginTop: 0 }}>Create a client</h2>
        {result && !result.ok ? (
          <div className="alert error" role="alert">
            {result.message}
          </div>
        ) : null}
        {result && result.ok ? (
          <div className="alert success" role="status">
            Client “{result.created}” created.
          </div>
        ) : null}
        <Form method="post" className="stack" key={result && result.ok ? result.created : "new"}>
          <input type="hidden" name="intent" value="create-client" />
          <label>
            Business name
            <input name="name" required minLength={2} aria-invalid={fe.name ? true : undefined} aria-describedby="name-error" />
            <FieldError id="name-error" message={fe.name} />
          </label>
          <label>
            Time zone <span className="hint">Business hours, billing months and reports use it.</span>
            <select name="timezone" defaultValue="America/New_York">
              {TIMEZONES.map((tz) => (
                <option key={tz}>{tz}</option>
              ))}
            </select>
          </label>
          <label>
            Currency
            <input name="currency" defaultValue="USD" maxLength={3} aria-invalid={fe.currency ? true : undefined} aria-describedby="currency-error" />
            <FieldError id="currency-error" message={fe.currency} />
          </label>
          <div>
            <button type="submit" disabled={busy}>
              Create client
            </button>
          </div>
        </Form>
      </div>
    </>
  );
}
