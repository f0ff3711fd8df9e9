import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { EmptyState } from "~/components/layout";
import { idParam, lines, optionalId } from "~/components/setup";
import { CampaignCard, CreateCampaignForm, CreateFormForm, FormDetail } from "~/components/setup-forms";
import { actionFailure, field, fieldFailure, formAction, formValues, intent } from "~/lib/form-action.server";
import { orNotFound, requireAgency } from "~/lib/guards.server";
import { z } from "zod";

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

const campaignFields = () => ({ name: field.trimmed, channel: field.nullable, utmSource: field.nullable, utmMedium: field.nullable, utmCampaign: field.nullable });
/** The mapping rows are re-shown from `values.mapping`, not from the inputs. */
const MAPPING_INPUTS = ["mapFrom", "mapTo"];

const campaignsForm = () => z.discriminatedUnion("intent", [
  intent("create-campaign", campaignFields()),
  // The server checks the status; the select only offers valid ones.
  intent("update-campaign", { id: field.text, ...campaignFields(), status: field.text.transform((s) => s as "active") }),
  intent("create-form", { campaignId: field.text, name: field.optional, allowedOrigins: field.text.transform(lines), thankYouUrl: field.nullable }),
  intent("update-form", {
    id: field.text,
    name: field.trimmed,
    allowedOrigins: field.text.transform(lines),
    thankYouUrl: field.nullable,
    consentText: field.trimmed,
    honeypotField: field.trimmed,
    mapFrom: field.list,
    mapTo: field.list,
  }),
  intent("disable-form", { id: field.text }),
  intent("test-key", { id: field.text, enabled: field.text.transform((s) => s === "1") }),
  intent("enable-form", { id: field.text }),
]);

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const form = await request.formData();
  const values = formValues(form, MAPPING_INPUTS);
  return formAction(
    form,
    campaignsForm(),
    async (input) => {
      const { intent: name } = input;
      switch (input.intent) {
        case "create-campaign": {
          const { intent: _, ...fields } = input;
          const c = await context.caller.campaigns.create({ clientId, ...fields });
          return { ok: true as const, intent: name, message: `Campaign “${c.name}” created.`, id: c.id };
        }
        case "update-campaign": {
          const { intent: _, ...fields } = input;
          const c = await context.caller.campaigns.update(fields);
          return { ok: true as const, intent: name, message: `Campaign “${c.name}” saved.`, id: c.id };
        }
        case "create-form": {
          const { intent: _, ...fields } = input;
          const f = await context.caller.forms.create(fields);
          return redirect(`/agency/clients/${clientId}/campaigns?form=${f.id}&created=1`);
        }
        case "update-form": {
          const { intent: _, mapFrom, mapTo, ...fields } = input;
          const to = mapTo.map((v) => v.trim());
          const pairs = mapFrom.map((f, i) => [f.trim(), to[i] ?? ""] as [string, string]).filter(([a, b]) => a || b);
          const mapping = JSON.stringify(pairs);
          const half = pairs.findIndex(([a, b]) => !a || !b);
          if (half >= 0) return fieldFailure(name, "fieldMapping", `row ${half + 1} needs both a posted field name and a lead field`, { ...values, mapping });
          try {
            const f = await context.caller.forms.update({ ...fields, fieldMapping: Object.fromEntries(pairs) });
            return { ok: true as const, intent: name, message: `Settings of “${f.name}” saved.`, id: f.id };
          } catch (e) {
            if (e instanceof Response) throw e;
            return actionFailure(e, name, { values: { mapping, ...values } });
          }
        }
        case "disable-form": {
          const f = await context.caller.forms.disable({ id: input.id });
          return { ok: true as const, intent: name, message: `“${f.name}” no longer accepts leads.`, id: f.id };
        }
        case "test-key": {
          const f = await context.caller.forms.setTestKey({ id: input.id, enabled: input.enabled });
          return { ok: true as const, intent: name, message: input.enabled ? `“${f.name}” has a new test key.` : `“${f.name}” has no test key any more.`, id: f.id };
        }
        case "enable-form": {
          const f = await context.caller.forms.update({ id: input.id, status: "active" });
          return { ok: true as const, intent: name, message: `“${f.name}” accepts leads again.`, id: f.id };
        }
      }
    },
    { values },
  );
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
