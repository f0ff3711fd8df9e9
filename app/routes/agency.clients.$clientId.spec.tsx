import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PostingSpecView } from "~/components/posting-spec";
import { CopyButton, FormMessage, idParam, optionalId } from "~/components/setup";
import { field, formAction } from "~/lib/form-action.server";
import { orNotFound, requireAgency } from "~/lib/guards.server";
import { z } from "zod";

/**
 * The posting spec of one form (`?form=<id>`) or API key (`?key=<id>`): what a vendor must send,
 * generated from the contract in force, and the public link to give them (made, replaced or
 * withdrawn here).
 */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Posting spec · ${d?.spec.name ?? ""} · LeadLedger` }];

function refOf(request: Request): { kind: "form" | "api"; id: string } {
  const p = new URL(request.url).searchParams;
  const form = optionalId(p.get("form"));
  const key = optionalId(p.get("key"));
  if (form) return { kind: "form", id: form };
  if (key) return { kind: "api", id: key };
  throw new Response("Name a form (?form=) or an API key (?key=).", { status: 404 });
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const spec = await orNotFound(context.caller.postingSpecs.get(refOf(request)));
  if (spec.clientId !== clientId) throw new Response("This form or API key belongs to another client.", { status: 404 });
  return { spec, clientId };
}

// Anything but "share" withdraws the link (the other button says "withdraw").
const specForm = () => z.object({ intent: field.oneOf(["share"], "withdraw") });

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const ref = refOf(request);
  const current = await orNotFound(context.caller.postingSpecs.get(ref));
  if (current.clientId !== clientId) throw new Response("This form or API key belongs to another client.", { status: 404 });
  return formAction(
    await request.formData(),
    specForm(),
    async ({ intent: name }) => {
      const share = name === "share";
      const r = await context.caller.postingSpecs.share({ ...ref, share });
      return { ok: true as const, message: share ? "A new public link is ready; any earlier link no longer works." : "The public link is withdrawn.", link: r.publicLink };
    },
    // This page has always answered a refusal with 200.
    { extra: { link: null }, status: 200 },
  );
}

export default function PostingSpecPage() {
  const { spec, clientId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const back = spec.kind === "form" ? `/agency/clients/${clientId}/campaigns?form=${spec.ref.id}` : `/agency/clients/${clientId}/keys`;
  return (
    <>
      <p className="muted">
        <Link to={back}>← {spec.kind === "form" ? "The form" : "API keys"}</Link>
      </p>
      <section className="card" aria-labelledby="spec-heading">
        <h2 id="spec-heading" className="card-title">
          Posting spec: {spec.name} ({spec.kind === "form" ? "web form" : "API key"})
        </h2>
        {result ? <FormMessage success={result.ok ? result.message : null} failure={result.ok ? null : { message: result.message }} /> : null}
        {spec.publicLink ? (
          <>
            <label htmlFor="public-link">Public link for the vendor (read-only, no sign-in; shows this spec and nothing else)</label>
            <div className="secret-row">
              <input id="public-link" className="mono" readOnly value={spec.publicLink} onFocus={(e) => e.currentTarget.select()} />
              <CopyButton targetId="public-link" label="Copy link" />
            </div>
          </>
        ) : (
          <p className="muted">Not shared yet. Make a public link to give the vendor; it shows this spec and nothing else, and you can withdraw it at any time.</p>
        )}
        <Form method="post" className="inline">
          <button type="submit" name="intent" value="share" disabled={busy}>
            {spec.publicLink ? "Replace public link" : "Make public link"}
          </button>
          {spec.publicLink ? (
            <button type="submit" name="intent" value="withdraw" className="secondary" disabled={busy}>
              Withdraw link
            </button>
          ) : null}
        </Form>
      </section>
      <PostingSpecView spec={spec} />
    </>
  );
}
