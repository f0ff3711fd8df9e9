import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { EmptyState } from "~/components/layout";
import { ConfirmPanel, FormMessage, idParam, optionalId, type SetupFailure } from "~/components/setup";
import { AddNumberForm, EditNumberForm, NumbersTable } from "~/components/setup-numbers";
import { phone } from "~/lib/format";
import { formFailure, orNotFound, requireAgency, str } from "~/lib/guards.server";

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

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const form = await request.formData();
  const intent = str(form, "intent");
  const id = str(form, "id");
  const callFields = () => ({
    forwardTo: str(form, "forwardTo"),
    record: form.get("record") === "on",
    disclosureText: str(form, "disclosureText"),
    whisperText: str(form, "whisperText"),
    screenCalls: form.get("screenCalls") === "on",
    fallbackNumber: str(form, "fallbackNumber") || null,
    voicemail: form.get("voicemail") === "on",
    textBack: form.get("textBack") === "on",
  });
  /** Numbers are changed by id; the id must be one of this client's, like the page shows. */
  const ownNumber = async () => {
    const own = await context.caller.trackingNumbers.list({ clientId, includeReleased: true });
    const n = own.find((x) => x.id === id);
    if (!n) throw new Response("This tracking number does not exist or belongs to another client.", { status: 404 });
    return n;
  };
  try {
    switch (intent) {
      case "add-number": {
        const n = await context.caller.trackingNumbers.create({ campaignId: str(form, "campaignId"), phoneNumber: str(form, "phoneNumber"), ...callFields() });
        return { ok: true as const, intent, message: `${phone(n.phoneNumber)} now forwards to ${phone(n.forwardTo)} for “${n.campaignName}”.`, warning: n.warning };
      }
      case "update-number": {
        await ownNumber();
        await context.caller.trackingNumbers.update({ id, campaignId: str(form, "campaignId") || undefined, ...callFields() });
        return redirect(`/agency/clients/${clientId}/numbers?saved=${id}`);
      }
      case "release-number": {
        const n = await context.caller.trackingNumbers.release({ id: (await ownNumber()).id });
        return { ok: true as const, intent, message: `${phone(n.phoneNumber)} is released: callers now hear that it is not in service.`, warning: null };
      }
      default:
        throw new Response("Unknown action", { status: 400 });
    }
  } catch (e) {
    if (e instanceof Response) throw e;
    const f = formFailure(e);
    const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
    return data<SetupFailure>({ ok: false, intent, message: f.message, fieldErrors: f.fieldErrors, values }, { status: 400 });
  }
}

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
