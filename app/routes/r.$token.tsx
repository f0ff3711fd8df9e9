import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { dateTime, phone, SOURCE_LABEL } from "~/lib/format";
import { orNotFound } from "~/lib/guards.server";

/**
 * A sales rep's link from a lead alert (/r/<token>, decision 024): one lead's card for a phone, no
 * sign-in, read-only, with no link to anything else. An expired or revoked link says so and shows no
 * lead data. The token is the key: the page is never cached, indexed or sent on as a referrer.
 */

export const meta: MetaFunction = () => [{ title: "Lead" }, { name: "robots", content: "noindex, nofollow" }, { name: "referrer", content: "no-referrer" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow" });

export async function loader({ context, params }: LoaderFunctionArgs) {
  const opened = await orNotFound(context.caller.alerts.repCard({ token: params.token ?? "" }));
  return data({ opened, agencyName: context.agencyName }, { status: opened.state === "active" ? 200 : 410 });
}

/** The time in the client's zone, labelled with it ("Dec 7, 2026, 9:40 AM EST"). */
function when(d: Date, timeZone: string): string {
  const zone = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" }).formatToParts(d).find((p) => p.type === "timeZoneName")?.value ?? timeZone;
  return `${dateTime(d, timeZone)} ${zone}`;
}

export default function RepLeadCard() {
  const { opened, agencyName } = useLoaderData<typeof loader>();
  if (opened.state !== "active") {
    return (
      <main className="rep-card" aria-labelledby="rep-card-title">
        <h1 id="rep-card-title">{opened.state === "expired" ? "This link has expired" : "This link was withdrawn"}</h1>
        <p>
          {opened.state === "expired"
            ? `Links in lead alerts work for a limited time; this one ended ${dateTime(opened.expiredAt, "UTC")} UTC.`
            : `${agencyName} withdrew this link on ${dateTime(opened.revokedAt, "UTC")} UTC.`}
        </p>
        <p className="muted">For this lead, ask {opened.clientName} or sign in to the portal if you have an account.</p>
      </main>
    );
  }
  const c = opened.card;
  const place = [c.city, c.state].filter(Boolean).join(", ");
  return (
    <main className="rep-card" aria-labelledby="rep-card-title">
      <p className="muted small">
        New lead for {c.clientName} · {when(c.receivedAt, c.timezone)}
      </p>
      <h1 id="rep-card-title">{c.name ?? "Name not given"}</h1>
      {c.phone ? (
        <a className="button call-button" href={`tel:${c.phone}`}>
          Call {phone(c.phone)}
        </a>
      ) : (
        <p>No phone number given.</p>
      )}
      <dl className="facts rep-facts">
        <dt>ZIP</dt>
        <dd>
          {c.zip ?? "—"}
          {place ? ` (${place})` : ""}
        </dd>
        <dt>Asked for</dt>
        <dd className="break">{c.askedFor ?? "Not stated"}</dd>
        <dt>Source</dt>
        <dd>
          {SOURCE_LABEL[c.source] ?? c.source} · {c.campaign}
        </dd>
      </dl>
      <p className="muted small">
        From {agencyName}. This link works until {when(opened.expiresAt, c.timezone)}; it shows this lead only.
      </p>
    </main>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <main className="rep-card">
      <h1>{status === 404 ? "This link is not valid" : "Something went wrong"}</h1>
      <p className="muted">{status === 404 ? "Check that it was copied whole from the text message." : "Try again in a moment."}</p>
    </main>
  );
}
