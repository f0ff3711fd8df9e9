import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { EmptyState, FieldError } from "~/components/layout";
import { ConfirmPanel, CopyButton, FormMessage, idParam, invalidProps, optionalId } from "~/components/setup";
import { dateOnly, dateTime } from "~/lib/format";
import { field, formAction, formValues, intent } from "~/lib/form-action.server";
import { orNotFound, requireAgency } from "~/lib/guards.server";
import { z } from "zod";

/**
 * A client's API keys for server-to-server posting. A new key is shown once, in the answer to the
 * create action only (never in a loader), because only its hash is stored.
 */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `API keys · ${d?.client.name ?? "Client"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const [client, keys] = await Promise.all([orNotFound(context.caller.clients.get({ id: clientId })), orNotFound(context.caller.apiKeys.list({ clientId }))]);
  const revokeId = optionalId(new URL(request.url).searchParams.get("revoke"));
  const toRevoke = keys.find((k) => k.id === revokeId && !k.revokedAt) ?? null;
  return { client, keys, toRevoke, publicUrl: context.publicUrl };
}

const keysForm = () => z.discriminatedUnion("intent", [
  intent("create-key", { name: field.optional, mode: field.oneOf(["live", "test"], "live") }),
  intent("revoke-key", { id: field.text }),
]);

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const form = await request.formData();
  const values = { name: formValues(form).name ?? "" };
  return formAction(
    form,
    keysForm(),
    async (input) => {
      if (input.intent === "create-key") {
        const k = await context.caller.apiKeys.create({ clientId, name: input.name, mode: input.mode });
        return { ok: true as const, intent: input.intent, created: { id: k.id, name: k.name, prefix: k.prefix, key: k.key, mode: k.mode }, message: `Key “${k.name}” created.` };
      }
      const keys = await context.caller.apiKeys.list({ clientId });
      const key = keys.find((k) => k.id === input.id);
      if (!key) throw new Response("This API key does not exist or belongs to another client.", { status: 404 });
      const k = await context.caller.apiKeys.revoke({ id: key.id });
      return { ok: true as const, intent: input.intent, created: null, message: `Key “${k.name}” (${k.prefix}…) is revoked: requests with it are refused from now on.` };
    },
    { values },
  );
}

// eslint-disable-next-line max-lines-per-function -- a page's markup, top to bottom; its data and rules come from the loader, the action and shared components
export default function ClientApiKeys() {
  const { client, keys, toRevoke, publicUrl } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const here = useLocation().pathname;
  const created = result && result.ok ? result.created : null;
  const failure = result && !result.ok ? result : null;
  const fe = failure?.fieldErrors ?? {};
  const tz = client.timezone;
  return (
    <>
      {created ? (
        <section className="card secret-panel" aria-labelledby="new-key-heading">
          <h2 id="new-key-heading" className="card-title">
            New {created.mode === "test" ? "test " : ""}API key: {created.name}
          </h2>
          {created.mode === "test" ? (
            <p>A test key: its leads are judged and answered like real ones (with &quot;test&quot;: true) but never billed, alerted or counted, and are deleted after 7 days.</p>
          ) : null}
          <p>
            <strong>Copy it now — it won't be shown again.</strong> LeadLedger keeps only a fingerprint of it. If it is lost, create a new key and revoke this one.
          </p>
          <label htmlFor="new-api-key">API key</label>
          <div className="secret-row">
            <input id="new-api-key" className="mono" readOnly value={created.key} onFocus={(e) => e.currentTarget.select()} />
            <CopyButton targetId="new-api-key" label="Copy key" />
          </div>
          <p className="muted small">Send it as a bearer token, for example:</p>
          <pre className="code-sample">{`curl -X POST ${publicUrl}/api/v1/leads \\\n  -H "Authorization: Bearer ${created.key}" \\\n  -H "Content-Type: application/json" \\\n  -d '{"name":"Ann Smith","phone":"+12125550142","zip":"10001"}'`}</pre>
        </section>
      ) : null}
      {result && result.ok && !created ? <FormMessage success={result.message} /> : null}
      {toRevoke ? (
        <ConfirmPanel title={`Revoke “${toRevoke.name}”?`} intent="revoke-key" id={toRevoke.id} confirmLabel="Revoke key" cancelTo={here} busy={busy}>
          <p>
            Anything still posting with <span className="mono">{toRevoke.prefix}…</span> gets “401 Unauthorized” from the moment you confirm. This cannot be undone — a
            revoked key never works again.
          </p>
        </ConfirmPanel>
      ) : null}
      <section className="card" aria-labelledby="keys-heading">
        <h2 id="keys-heading" className="card-title">
          API keys
        </h2>
        <p className="muted small">
          Lead vendors post leads to <span className="mono">POST /api/v1/leads</span>; the client's CRM posts won/lost outcomes to <span className="mono">/api/v1/leads/:id/conversion</span>. Give
          each one its own key.
        </p>
        {keys.length === 0 ? (
          <EmptyState title="No API keys yet">Create one below for each vendor or system that posts leads for {client.name}.</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Key</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th>Status</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id}>
                    <td data-label="Name">
                      {k.name} {k.mode === "test" ? <span className="badge">test</span> : null}
                    </td>
                    <td className="mono nowrap" data-label="Key">
                      {k.prefix}…
                    </td>
                    <td className="nowrap" data-label="Created">
                      {dateOnly(k.createdAt, tz)}
                    </td>
                    <td className="nowrap" data-label="Last used">
                      {k.lastUsedAt ? dateTime(k.lastUsedAt, tz) : <span className="muted">Never</span>}
                    </td>
                    <td data-label="Status">{k.revokedAt ? <span className="badge bad">Revoked {dateOnly(k.revokedAt, tz)}</span> : <span className="badge ok">Active</span>}</td>
                    <td className="actions-cell">
                      <Link className="button secondary small-btn" to={`/agency/clients/${client.id}/spec?key=${k.id}`} aria-label={`Posting spec for ${k.name}`}>
                        Posting spec
                      </Link>{" "}
                      {k.revokedAt ? null : (
                        <Link className="button secondary small-btn" to={`?revoke=${k.id}`} preventScrollReset aria-label={`Revoke ${k.name} (${k.prefix}…)`}>
                          Revoke…
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="create-key-heading">
        <h2 id="create-key-heading" className="card-title">
          Create an API key
        </h2>
        <Form method="post" className="stack" key={created?.id ?? "new"}>
          <input type="hidden" name="intent" value="create-key" />
          <FormMessage failure={failure} />
          <label>
            Who uses it <span className="hint">e.g. “Lead vendor A” or “Client CRM”.</span>
            <input name="name" required maxLength={120} defaultValue={failure?.values.name ?? ""} {...invalidProps(fe.name, "key-name-error")} />
            <FieldError id="key-name-error" message={fe.name} />
          </label>
          <label className="checkbox">
            <input type="checkbox" name="mode" value="test" /> Test key (<span className="mono">ll_test_…</span>): its leads are judged and answered, never billed, alerted or
            counted
          </label>
          <div>
            <button type="submit" disabled={busy}>
              Create key
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
