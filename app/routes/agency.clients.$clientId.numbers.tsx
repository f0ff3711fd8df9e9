import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { EmptyState } from "~/components/layout";
import { ConfirmPanel, FormMessage, idParam, optionalId } from "~/components/setup";
import { AddNumberForm, EditNumberForm, NumbersTable } from "~/components/setup-numbers";
import { phone } from "~/lib/format";
import { field, formAction, intent } from "~/lib/form-action.server";
import { orNotFound, requireAgency } from "~/lib/guards.server";
import { z } from "zod";

/**
 * Tracking numbers per campaign: add (Twilio's voice URL is pointed here; a warning says when that
 * could not be done), edit forwarding/recording/whisper/disclosure (?edit=<id>), release (?release=<id>).
 */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Tracking numbers · ${d?.client.name ?? "Client"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const url = new URL(request.url);
  const [client, campaigns, numbers] = await Promise.all([
    orNotFound(context.caller.clients.get({ id: clientId })),
    orNotFound(context.caller.campaigns.list({ clientId, includeArchived: true })),
    orNotFound(context.caller.trackingNumbers.list({ clientId, includeReleased: true })),
  ]);
  const active = (id: string | null) => numbers.find((n) => n.id === id && n.status === "active") ?? null;
  return {
    client,
    campaigns: campaigns.map((c) => ({ id: c.id, name: c.name, status: c.status })),
    numbers,
    editing: active(optionalId(url.searchParams.get("edit"))),
    releasing: active(optionalId(url.searchParams.get("release"))),
    saved: active(optionalId(url.searchParams.get("saved"))),
  };
}

const callFields = () => ({
  forwardTo: field.text,
  record: field.checkbox,
  disclosureText: field.text,
  whisperText: field.text,
  screenCalls: field.checkbox,
  fallbackNumber: field.text.transform((s) => s || null),
  voicemail: field.checkbox,
  textBack: field.checkbox,
});

const numbersForm = () => z.discriminatedUnion("intent", [
  intent("add-number", { campaignId: field.text, phoneNumber: field.text, ...callFields() }),
  intent("update-number", { id: field.text, campaignId: field.text.transform((s) => s || undefined), ...callFields() }),
  intent("release-number", { id: field.text }),
]);

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const form = await request.formData();
  /** Numbers are changed by id; the id must be one of this client's, like the page shows. */
  const ownNumber = async (id: string) => {
    const own = await context.caller.trackingNumbers.list({ clientId, includeReleased: true });
    const n = own.find((x) => x.id === id);
    if (!n) throw new Response("This tracking number does not exist or belongs to another client.", { status: 404 });
    return n;
  };
  return formAction(form, numbersForm(), async (input) => {
    switch (input.intent) {
      case "add-number": {
        const { intent: _, ...fields } = input;
        const n = await context.caller.trackingNumbers.create(fields);
        return { ok: true as const, intent: input.intent, message: `${phone(n.phoneNumber)} now forwards to ${phone(n.forwardTo)} for “${n.campaignName}”.`, warning: n.warning };
      }
      case "update-number": {
        const { intent: _, ...fields } = input;
        await ownNumber(fields.id);
        await context.caller.trackingNumbers.update(fields);
        return redirect(`/agency/clients/${clientId}/numbers?saved=${fields.id}`);
      }
      case "release-number": {
        const n = await context.caller.trackingNumbers.release({ id: (await ownNumber(input.id)).id });
        return { ok: true as const, intent: input.intent, message: `${phone(n.phoneNumber)} is released: callers now hear that it is not in service.`, warning: null };
      }
    }
  });
}

// eslint-disable-next-line max-lines-per-function -- a page's markup, top to bottom; its data and rules come from the loader, the action and shared components
export default function ClientNumbers() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const here = useLocation().pathname;
  const failure = result && !result.ok ? result : null;
  const success = result && result.ok ? result : null;
  const usable = d.campaigns.filter((c) => c.status !== "archived");
  // Campaigns with numbers, then the other usable ones (so each shows where numbers would go).
  const shown = d.campaigns.filter((c) => c.status !== "archived" || d.numbers.some((n) => n.campaignId === c.id));
  return (
    <>
      {d.saved && !result ? <FormMessage success={`Changes to ${phone(d.saved.phoneNumber)} saved.`} /> : null}
      {success ? (
        <FormMessage
          success={success.message}
          warning={success.warning ? <>Check the number at Twilio: {success.warning}</> : null}
        />
      ) : null}
      {d.releasing ? (
        <ConfirmPanel title={`Release ${phone(d.releasing.phoneNumber)}?`} intent="release-number" id={d.releasing.id} confirmLabel="Release number" cancelTo={here} busy={busy}>
          <p>
            Calls to it stop being forwarded to {phone(d.releasing.forwardTo)}: callers hear that the number is not in service. Its past calls and leads stay. You can add the same
            number again later.
          </p>
        </ConfirmPanel>
      ) : null}
      {d.editing ? (
        <EditNumberForm
          number={d.editing}
          // Its own campaign stays selectable even when archived, so saving never moves it by accident.
          campaigns={d.campaigns.filter((c) => c.status !== "archived" || c.id === d.editing!.campaignId)}
          failure={failure && failure.intent === "update-number" ? failure : null}
          cancelTo={here}
          busy={busy}
        />
      ) : null}
      {d.numbers.length === 0 ? (
        <div className="card">
          <EmptyState title="No tracking numbers yet">
            Buy a number in your Twilio account, then add it below with the phone it should ring. Calls are recorded, judged against the contract and billed like any lead.
          </EmptyState>
        </div>
      ) : (
        shown.map((c) => (
          <section className="card" key={c.id} aria-labelledby={`numbers-${c.id}`}>
            <div className="card-head">
              <h2 id={`numbers-${c.id}`} className="card-title">
                {c.name}
              </h2>
              {c.status !== "active" ? <span className="badge warn">{c.status}</span> : null}
            </div>
            <NumbersTable numbers={d.numbers.filter((n) => n.campaignId === c.id)} editTo={(id) => `?edit=${id}`} releaseTo={(id) => `?release=${id}`} />
          </section>
        ))
      )}
      <div className="grid">
        <section className="card" aria-labelledby="add-number-heading">
          <h2 id="add-number-heading" className="card-title">
            Add a tracking number
          </h2>
          <AddNumberForm
            campaigns={usable}
            failure={failure && failure.intent === "add-number" ? failure : null}
            resetKey={success && success.intent === "add-number" ? success.message : "new"}
            busy={busy}
          />
        </section>
        <section className="card" aria-labelledby="how-heading">
          <h2 id="how-heading" className="card-title">
            How call tracking works
          </h2>
          <ol className="steps">
            <li>Buy a local number in your Twilio account and put it in the campaign's ads.</li>
            <li>Add it here. LeadLedger points the number's voice URL at its own /twilio/voice address; if it cannot, it tells you what to set by hand.</li>
            <li>Each call is forwarded to the client's phone, with the disclosure and recording when recording is on, and the whisper read to whoever answers.</li>
            <li>When the call ends it becomes a lead, judged with the contract (minimum conversation seconds, repeat callers, hours, area) and billed and alerted like any lead.</li>
          </ol>
        </section>
      </div>
    </>
  );
}
