import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { EmptyState } from "~/components/layout";
import { FormMessage, idParam } from "~/components/setup";
import { dateTime, phone } from "~/lib/format";
import { field, formAction, intent } from "~/lib/form-action.server";
import { orNotFound, requireAgency } from "~/lib/guards.server";
import { calendarDate } from "~/lib/format";

/**
 * A client's attribution set-up (docs/decisions/022-attribution.md): the tracking snippet for its
 * landing pages, its number pools (with how often they ran out), the conversion names the ad
 * platforms know, and the won-deal files for Google Ads, Microsoft Ads or any other platform.
 */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Attribution · ${d?.client.name ?? "Client"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const [client, settings, pools, campaigns, numbers] = await Promise.all([
    orNotFound(context.caller.clients.get({ id: clientId })),
    orNotFound(context.caller.attribution.settings({ clientId })),
    context.caller.attribution.pools({ clientId }),
    orNotFound(context.caller.campaigns.list({ clientId })),
    orNotFound(context.caller.trackingNumbers.list({ clientId })),
  ]);
  const pooled = new Set(pools.flatMap((p) => p.numbers.map((n) => n.trackingNumberId)));
  return {
    client,
    settings,
    pools,
    campaigns: campaigns.map((c) => ({ id: c.id, name: c.name })),
    freeNumbers: numbers.filter((n) => !pooled.has(n.id)).map((n) => ({ id: n.id, phoneNumber: n.phoneNumber, campaignName: n.campaignName })),
    publicUrl: context.publicUrl,
    now: context.now.toISOString(),
    today: calendarDate(context.now, client.timezone),
  };
}

const attributionForm = () =>
  z.discriminatedUnion("intent", [
    intent("save-settings", { googleConversionName: field.trimmed, microsoftConversionName: field.trimmed, cookieDays: field.text }),
    intent("create-pool", { campaignId: field.text, name: field.trimmed, defaultNumber: field.trimmed, reservationMinutes: field.text, trackingNumberIds: field.list }),
  ]);

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const form = await request.formData();
  return formAction(
    form,
    attributionForm(),
    async (input) => {
      switch (input.intent) {
        case "save-settings": {
          await context.caller.attribution.updateSettings({ clientId, googleConversionName: input.googleConversionName, microsoftConversionName: input.microsoftConversionName, cookieDays: Number(input.cookieDays) });
          return { ok: true as const, intent: input.intent, message: "Attribution settings saved." };
        }
        case "create-pool": {
          const pool = await context.caller.attribution.createPool({
            campaignId: input.campaignId,
            name: input.name,
            defaultNumber: input.defaultNumber,
            trackingNumberIds: input.trackingNumberIds,
            reservationMinutes: input.reservationMinutes ? Number(input.reservationMinutes) : undefined,
          });
          return { ok: true as const, intent: input.intent, message: `Pool “${pool.name}” is ready with ${pool.numbers.length} numbers. Add data-pool="${pool.poolKey}" to the snippet.` };
        }
      }
    },
    { domainMessages: true },
  );
}

// eslint-disable-next-line max-lines-per-function -- page markup: the snippet, pools and conversion-file cards
export default function ClientAttribution() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failure = result && !result.ok ? result : null;
  const success = result && result.ok ? result : null;
  const fe = failure?.fieldErrors ?? {};
  const tag = `<script src="${d.publicUrl}/t.js" data-cookie-days="${d.settings.cookieDays}"${d.pools[0] ? ` data-pool="${d.pools[0].poolKey}"` : ""} async></script>`;
  return (
    <>
      <FormMessage failure={failure} success={success?.message} />
      <section className="card" aria-labelledby="snippet">
        <h2 id="snippet" style={{ marginTop: 0 }}>
          Tracking snippet
        </h2>
        <p>
          Put this line on every landing page, before <code>&lt;/body&gt;</code>. It remembers where each visitor first and last came from (ad, keyword, landing page) for{" "}
          {d.settings.cookieDays} days, adds it to every LeadLedger form on the page, and shows a pool number in any element marked <code>data-ll-phone</code>.
        </p>
        <pre className="snippet" data-testid="tracking-snippet">
          {tag}
        </pre>
      </section>

      <section className="card" aria-labelledby="pools">
        <h2 id="pools" style={{ marginTop: 0 }}>
          Number pools
        </h2>
        {d.pools.length === 0 ? (
          <EmptyState title="No number pools yet">
            A pool shows each visitor of a landing page a number of their own for a while, so a call tells you which ad and keyword brought the caller.
          </EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Pool</th>
                <th scope="col">Numbers</th>
                <th scope="col">Shown when all are taken</th>
                <th scope="col">Visitors who got the default number</th>
              </tr>
            </thead>
            <tbody>
              {d.pools.map((p) => {
                const held = p.numbers.filter((n) => n.reservedUntil && new Date(n.reservedUntil) > new Date(d.now)).length;
                return (
                  <tr key={p.id}>
                    <td>
                      {p.name} <span className="muted small">· {p.campaignName} · key {p.poolKey} · held {Math.round(p.reservationSeconds / 60)} min</span>
                    </td>
                    <td>
                      {p.numbers.length} ({held} in use now)
                      <div className="muted small">{p.numbers.map((n) => phone(n.phoneNumber)).join(", ")}</div>
                    </td>
                    <td>{phone(p.defaultNumber)}</td>
                    <td>
                      {p.overflowCount === 0 ? (
                        "none"
                      ) : (
                        <span className="badge warn" data-testid="pool-overflow">
                          {p.overflowCount} {p.overflowCount === 1 ? "time" : "times"}
                          {p.lastOverflowAt ? `, last ${dateTime(p.lastOverflowAt, d.client.timezone)}` : ""} — add numbers
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {d.freeNumbers.length > 0 ? (
          <Form method="post" className="stack" aria-label="New number pool">
            <input type="hidden" name="intent" value="create-pool" />
            <h3>New pool</h3>
            <label>
              Name <input name="name" required defaultValue="Landing pages" />
            </label>
            <label>
              Campaign
              <select name="campaignId">
                {d.campaigns.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Number shown when all are taken <input name="defaultNumber" required placeholder="+12125550100" aria-invalid={fe.defaultNumber ? true : undefined} />
            </label>
            <label>
              Minutes a visitor keeps a number <input name="reservationMinutes" type="number" min={1} max={1440} defaultValue={20} />
            </label>
            <fieldset>
              <legend>Numbers in the pool</legend>
              {d.freeNumbers.map((n) => (
                <label key={n.id}>
                  <input type="checkbox" name="trackingNumberIds" value={n.id} /> {phone(n.phoneNumber)} <span className="muted small">({n.campaignName})</span>
                </label>
              ))}
            </fieldset>
            <button type="submit" disabled={busy}>
              Create pool
            </button>
          </Form>
        ) : null}
      </section>

      <section className="card" aria-labelledby="conversions">
        <h2 id="conversions" style={{ marginTop: 0 }}>
          Won deals for the ad platforms
        </h2>
        <p>
          Leads marked won with a Google or Microsoft click wait here for their platform. A file takes every waiting one won in the dates you choose and marks it exported, so the next
          file does not repeat it. Upload it in the platform's conversion import.
        </p>
        <Form method="post" action={`/agency/clients/${d.client.id}/conversions.csv`} reloadDocument className="inline" aria-label="Download conversions">
          <label>
            Platform
            <select name="platform" defaultValue="google">
              <option value="google">Google Ads</option>
              <option value="microsoft">Microsoft Ads</option>
              <option value="csv">Any other (CSV of won leads)</option>
            </select>
          </label>
          <label>
            Won from <input type="date" name="from" required defaultValue={`${d.today.slice(0, 8)}01`} />
          </label>
          <label>
            to <input type="date" name="to" required defaultValue={d.today} />
          </label>
          <label>
            <input type="checkbox" name="again" /> include ones exported before
          </label>
          <button type="submit">Download file</button>
        </Form>
        <Form method="post" className="stack" aria-label="Conversion settings">
          <input type="hidden" name="intent" value="save-settings" />
          <label>
            Google Ads conversion name <input name="googleConversionName" defaultValue={d.settings.googleConversionName} required />
          </label>
          <label>
            Microsoft Ads conversion name <input name="microsoftConversionName" defaultValue={d.settings.microsoftConversionName} required />
          </label>
          <label>
            Days the snippet remembers a visitor <input name="cookieDays" type="number" min={1} max={395} defaultValue={d.settings.cookieDays} />
          </label>
          <button type="submit" disabled={busy}>
            Save
          </button>
        </Form>
      </section>
    </>
  );
}
