import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { EmptyState } from "~/components/layout";
import { idParam, lines, optionalId, type SetupFailure } from "~/components/setup";
import { CampaignCard, CreateCampaignForm, CreateFormForm, FormDetail } from "~/components/setup-forms";
import { formFailure, orNotFound, requireAgency, str } from "~/lib/guards.server";

/**
 * A client's campaigns with their web forms. `?form=<id>` shows one form: the copy-paste embed
 * snippet, its settings (origins, thank-you page, field mapping) and disable/enable.
 */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: `${d?.detail ? d.detail.form.name : "Campaigns & forms"} · ${d?.client.name ?? "Client"} · LeadLedger` },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const url = new URL(request.url);
  const [client, campaigns, forms] = await Promise.all([
    orNotFound(context.caller.clients.get({ id: clientId })),
    orNotFound(context.caller.campaigns.list({ clientId, includeArchived: true })),
    orNotFound(context.caller.forms.list({ clientId })),
  ]);
  let detail = null;
  const formId = optionalId(url.searchParams.get("form"));
  if (url.searchParams.has("form")) {
    const form = forms.find((f) => f.id === formId);
    if (!form) throw new Response("This form does not exist or belongs to another client.", { status: 404 });
    const snippet = await orNotFound(context.caller.forms.embedSnippet({ id: form.id }));
    detail = { form, snippet, campaignName: campaigns.find((c) => c.id === form.campaignId)?.name ?? "—" };
  }
  return { client, campaigns, forms, detail, created: url.searchParams.get("created") === "1" };
}

const text = (form: FormData, name: string) => str(form, name).trim();
const optional = (form: FormData, name: string) => text(form, name) || null;

function failure(e: unknown, intent: string, form: FormData, extra: Record<string, string> = {}) {
  const f = formFailure(e);
  const values: Record<string, string> = { ...extra };
  for (const [k, v] of form.entries()) if (typeof v === "string" && k !== "mapFrom" && k !== "mapTo") values[k] = v;
  return data<SetupFailure>({ ok: false, intent, message: f.message, fieldErrors: f.fieldErrors, values }, { status: 400 });
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const form = await request.formData();
  const intent = str(form, "intent");
  const id = str(form, "id");
  const campaignFields = () => ({
    name: text(form, "name"),
    channel: optional(form, "channel"),
    utmSource: optional(form, "utmSource"),
    utmMedium: optional(form, "utmMedium"),
    utmCampaign: optional(form, "utmCampaign"),
  });
  try {
    switch (intent) {
      case "create-campaign": {
        const c = await context.caller.campaigns.create({ clientId, ...campaignFields() });
        return { ok: true as const, intent, message: `Campaign “${c.name}” created.`, id: c.id };
      }
      case "update-campaign": {
        const c = await context.caller.campaigns.update({ id, ...campaignFields(), status: str(form, "status") as "active" });
        return { ok: true as const, intent, message: `Campaign “${c.name}” saved.`, id: c.id };
      }
      case "create-form": {
        const f = await context.caller.forms.create({
          campaignId: str(form, "campaignId"),
          name: text(form, "name") || undefined,
          allowedOrigins: lines(str(form, "allowedOrigins")),
          thankYouUrl: optional(form, "thankYouUrl"),
        });
        return redirect(`/agency/clients/${clientId}/campaigns?form=${f.id}&created=1`);
      }
      case "update-form": {
        const from = form.getAll("mapFrom").map((v) => String(v).trim());
        const to = form.getAll("mapTo").map((v) => String(v).trim());
        const pairs = from.map((f, i) => [f, to[i] ?? ""] as [string, string]).filter(([a, b]) => a || b);
        const mapping = JSON.stringify(pairs);
        const half = pairs.findIndex(([a, b]) => !a || !b);
        if (half >= 0) {
          return data<SetupFailure>(
            {
              ok: false,
              intent,
              message: "Please correct the highlighted fields.",
              fieldErrors: { fieldMapping: `row ${half + 1} needs both a posted field name and a lead field` },
              values: { ...Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>, mapping },
            },
            { status: 400 },
          );
        }
        try {
          const f = await context.caller.forms.update({
            id,
            name: text(form, "name"),
            allowedOrigins: lines(str(form, "allowedOrigins")),
            thankYouUrl: optional(form, "thankYouUrl"),
            consentText: text(form, "consentText"),
            honeypotField: text(form, "honeypotField"),
            fieldMapping: Object.fromEntries(pairs),
          });
          return { ok: true as const, intent, message: `Settings of “${f.name}” saved.`, id: f.id };
        } catch (e) {
          return failure(e, intent, form, { mapping });
        }
      }
      case "disable-form": {
        const f = await context.caller.forms.disable({ id });
        return { ok: true as const, intent, message: `“${f.name}” no longer accepts leads.`, id: f.id };
      }
      case "test-key": {
        const enabled = str(form, "enabled") === "1";
        const f = await context.caller.forms.setTestKey({ id, enabled });
        return { ok: true as const, intent, message: enabled ? `“${f.name}” has a new test key.` : `“${f.name}” has no test key any more.`, id: f.id };
      }
      case "enable-form": {
        const f = await context.caller.forms.update({ id, status: "active" });
        return { ok: true as const, intent, message: `“${f.name}” accepts leads again.`, id: f.id };
      }
      default:
        throw new Response("Unknown action", { status: 400 });
    }
  } catch (e) {
    if (e instanceof Response) throw e;
    return failure(e, intent, form);
  }
}

export default function ClientCampaigns() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const location = useLocation();
  if (d.detail) {
    return (
      <FormDetail
        form={d.detail.form}
        campaignName={d.detail.campaignName}
        snippet={d.detail.snippet}
        created={d.created && !result}
        result={result}
        busy={busy}
        backTo={location.pathname}
        timeZone={d.client.timezone}
        specHref={`/agency/clients/${d.client.id}/spec?form=${d.detail.form.id}`}
      />
    );
  }
  return (
    <>
      {d.campaigns.length === 0 ? (
        <div className="card">
          <EmptyState title="No campaigns yet">Create a campaign below, then add a web form to it.</EmptyState>
        </div>
      ) : (
        d.campaigns.map((c) => (
          <CampaignCard
            key={c.id}
            campaign={c}
            forms={d.forms.filter((f) => f.campaignId === c.id)}
            result={result}
            busy={busy}
          />
        ))
      )}
      <div className="grid">
        <section className="card" aria-labelledby="add-form-heading">
          <h2 id="add-form-heading" className="card-title">
            Add a form
          </h2>
          <p className="muted small">You get an HTML snippet to paste into the landing page. Leads it sends are judged with this client's contract.</p>
          <CreateFormForm campaigns={d.campaigns} result={result} busy={busy} />
        </section>
        <section className="card" aria-labelledby="add-campaign-heading">
          <h2 id="add-campaign-heading" className="card-title">
            Create a campaign
          </h2>
          <p className="muted small">A campaign groups a lead source — its forms and tracking numbers — for reports.</p>
          <CreateCampaignForm result={result} busy={busy} />
        </section>
      </div>
    </>
  );
}
