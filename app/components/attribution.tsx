import { useSearchParams } from "@remix-run/react";
import { dateTime } from "~/lib/format";
import { ATTRIBUTION_FILTERS } from "~/lib/lead-filters";
import type { LeadDetailData } from "./lead-detail";

const CLICK_IDS: [keyof NonNullable<LeadDetailData["attribution"]>, string][] = [
  ["gclid", "Google Ads click"],
  ["gbraid", "Google Ads click (iOS app)"],
  ["wbraid", "Google Ads click (iOS web)"],
  ["msclkid", "Microsoft Ads click"],
  ["fbclid", "Facebook click"],
  ["ttclid", "TikTok click"],
];

/** "Where this lead came from": the sentence, then each value the visitor brought (portal and console). */
export function AttributionCard({ lead }: { lead: LeadDetailData }) {
  const a = lead.attribution;
  return (
    <section className="card" aria-labelledby="origin">
      <h2 id="origin" style={{ marginTop: 0 }}>
        Where this lead came from
      </h2>
      {!a ? (
        <p className="muted" data-testid="attribution-summary">
          {lead.source === "call" ? `A call to a tracking number of ${lead.campaignName}.` : `Nothing was recorded about the visit beyond the campaign (${lead.campaignName}).`}
        </p>
      ) : (
        <>
          <p data-testid="attribution-summary">
            <strong>{a.summary}</strong>
          </p>
          <dl className="facts">
            {a.utmSource ? <Fact label="Source" value={a.utmSource} /> : null}
            {a.utmMedium ? <Fact label="Medium" value={a.utmMedium} /> : null}
            {a.utmCampaign ? <Fact label="Campaign" value={a.utmCampaign} /> : null}
            {a.utmTerm ? <Fact label="Keyword" value={a.utmTerm} /> : null}
            {a.utmContent ? <Fact label="Ad" value={a.utmContent} /> : null}
            {a.landingPage ? <Fact label="Landing page" value={a.landingPage} /> : null}
            {a.referrer ? <Fact label="Came from" value={a.referrer} /> : null}
            {a.firstTouch && a.firstTouch.at ? (
              <Fact label="First visit" value={`${dateTime(a.firstTouch.at, lead.clientTimezone)}${Object.keys(a.firstTouch.params).length ? ` (${Object.entries(a.firstTouch.params).map(([k, v]) => `${k.replace(/^utm_/, "")} ${v}`).join(", ")})` : ""}`} />
            ) : null}
            {CLICK_IDS.filter(([k]) => a[k]).map(([k, label]) => (
              <Fact key={k} label={label} value={String(a[k])} />
            ))}
            {Object.entries(a.extra).map(([k, v]) => (
              <Fact key={k} label={k.replace(/^utm_/, "")} value={v} />
            ))}
            {a.callMatch === "session" ? <Fact label="Call" value="to the number this visitor was shown on the page" /> : null}
          </dl>
        </>
      )}
    </section>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd style={{ overflowWrap: "anywhere" }}>{value}</dd>
    </>
  );
}

/** The inbox's filters on where leads came from (their last touch): ad source, medium, ad campaign, keyword. */
export function AttributionFilterFields() {
  const [params] = useSearchParams();
  return (
    <>
      {ATTRIBUTION_FILTERS.map((f) => (
        <label key={f.param}>
          {f.label}
          <input name={f.param} type="search" size={12} placeholder={f.placeholder} defaultValue={params.get(f.param) ?? ""} />
        </label>
      ))}
    </>
  );
}
