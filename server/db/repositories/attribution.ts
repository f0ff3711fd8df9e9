import { sql, type SQL } from "drizzle-orm";
import type { LeadAttribution, Touch } from "../../domain/attribution/attribution";
import type { Conversion } from "../../domain/attribution/conversion-files";
import type { AttributionReportRepository, AttributionReportRow, CallSessionMatch, ConversionStore, DniPool, DniStore, ReportDimension, SessionAttribution } from "../../domain/attribution/ports";
import type { DbOrTx } from "../client";

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : (v as string));
const date = (v: unknown) => (v ? new Date(v as string) : null);

/**
 * The lead_attributions insert as one CTE of an intake statement that has inserted the lead as `l`
 * (decision 006: the lead and where it came from in one round trip). Fixed text whatever the
 * values, so the statement stays prepared; with no attribution it inserts nothing.
 */
export function attributionInsertCte(clientId: string, a: LeadAttribution | null | undefined): SQL {
  const x = a ?? null;
  const j = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  return sql`la as (
    insert into lead_attributions (lead_id, client_id, utm_source, utm_medium, utm_campaign, utm_term, utm_content, gclid, gbraid, wbraid, fbclid, msclkid, ttclid,
      landing_page, referrer, first_touch_at, first_touch, last_touch_at, last_touch, session_id, extra, call_match)
    select l.id, ${clientId}::uuid, ${x?.utmSource ?? null}::text, ${x?.utmMedium ?? null}::text, ${x?.utmCampaign ?? null}::text, ${x?.utmTerm ?? null}::text, ${x?.utmContent ?? null}::text,
      ${x?.gclid ?? null}::text, ${x?.gbraid ?? null}::text, ${x?.wbraid ?? null}::text, ${x?.fbclid ?? null}::text, ${x?.msclkid ?? null}::text, ${x?.ttclid ?? null}::text,
      ${x?.landingPage ?? null}::text, ${x?.referrer ?? null}::text, ${x?.firstTouch?.at ?? null}::timestamptz, ${j(x?.firstTouch)}::jsonb,
      ${x?.lastTouch?.at ?? null}::timestamptz, ${j(x?.lastTouch)}::jsonb, ${x?.sessionId ?? null}::text, ${j(x?.extra ?? {})}::jsonb, ${x?.callMatch ?? null}::text
    from l where ${x !== null}::boolean)`;
}

export function toLeadAttribution(r: Row): LeadAttribution {
  return {
    utmSource: str(r.utm_source),
    utmMedium: str(r.utm_medium),
    utmCampaign: str(r.utm_campaign),
    utmTerm: str(r.utm_term),
    utmContent: str(r.utm_content),
    gclid: str(r.gclid),
    gbraid: str(r.gbraid),
    wbraid: str(r.wbraid),
    fbclid: str(r.fbclid),
    msclkid: str(r.msclkid),
    ttclid: str(r.ttclid),
    landingPage: str(r.landing_page),
    referrer: str(r.referrer),
    firstTouch: (r.first_touch as Touch | null) ?? null,
    lastTouch: (r.last_touch as Touch | null) ?? null,
    sessionId: str(r.session_id),
    extra: (r.extra as Record<string, string>) ?? {},
    callMatch: (str(r.call_match) as LeadAttribution["callMatch"]) ?? null,
  };
}

export async function leadAttribution(db: DbOrTx, leadId: string): Promise<LeadAttribution | null> {
  const r = await db.execute(sql`select * from lead_attributions where lead_id = ${leadId}`);
  const row = r.rows[0] as Row | undefined;
  return row ? toLeadAttribution(row) : null;
}

/** Whom a call to this tracking number belongs to at `now`: the session holding it, nobody (expired), or null (not a pool number). */
export async function callSessionMatch(db: DbOrTx, trackingNumberId: string, now: Date): Promise<CallSessionMatch> {
  const r = await db.execute(sql`select session_id, reserved_until, attribution from dni_pool_numbers where tracking_number_id = ${trackingNumberId}`);
  const row = r.rows[0] as Row | undefined;
  if (!row) return null;
  const until = date(row.reserved_until);
  if (!row.session_id || !until || until <= now) return { kind: "expired" };
  const a = (row.attribution as { first?: Touch | null; last?: Touch | null } | null) ?? {};
  return { kind: "session", session: { sessionId: row.session_id as string, first: a.first ?? null, last: a.last ?? null } };
}

/** Lead filters of the inbox on the lead's attribution (case-insensitive equality). */
export function attributionFilter(f: { utmSource?: string; utmMedium?: string; utmCampaign?: string; utmTerm?: string }): SQL | null {
  const parts: SQL[] = [];
  if (f.utmSource) parts.push(sql`lower(a.utm_source) = lower(${f.utmSource})`);
  if (f.utmMedium) parts.push(sql`lower(a.utm_medium) = lower(${f.utmMedium})`);
  if (f.utmCampaign) parts.push(sql`lower(a.utm_campaign) = lower(${f.utmCampaign})`);
  if (f.utmTerm) parts.push(sql`lower(a.utm_term) = lower(${f.utmTerm})`);
  if (parts.length === 0) return null;
  return sql`exists (select 1 from lead_attributions a where a.lead_id = l.id and ${sql.join(parts, sql` and `)})`;
}

function toPool(r: Row): DniPool {
  return {
    id: r.id as string,
    clientId: r.client_id as string,
    clientName: r.client_name as string,
    campaignId: r.campaign_id as string,
    campaignName: r.campaign_name as string,
    name: r.name as string,
    poolKey: r.pool_key as string,
    defaultNumber: r.default_number as string,
    reservationSeconds: Number(r.reservation_seconds),
    overflowCount: Number(r.overflow_count),
    lastOverflowAt: date(r.last_overflow_at),
    numbers: ((r.numbers as Row[] | null) ?? []).map((n) => ({
      trackingNumberId: n.tracking_number_id as string,
      phoneNumber: n.phone_number as string,
      reservedUntil: date(n.reserved_until),
      lastUsedAt: date(n.last_used_at),
    })),
    createdAt: new Date(r.created_at as string),
  };
}

const POOL_SELECT = sql`select p.*, c.name as client_name, cp.name as campaign_name,
    (select coalesce(jsonb_agg(jsonb_build_object('tracking_number_id', n.tracking_number_id, 'phone_number', t.phone_number, 'reserved_until', n.reserved_until, 'last_used_at', n.last_used_at) order by t.phone_number), '[]'::jsonb)
       from dni_pool_numbers n join tracking_numbers t on t.id = n.tracking_number_id where n.pool_id = p.id) as numbers
  from dni_pools p join clients c on c.id = p.client_id join campaigns cp on cp.id = p.campaign_id`;

/**
 * Pool reservations. One statement per request in the common case: extend the session's own
 * reservation, else take the least recently used free number (`for update skip locked`: two
 * requests never take the same row), else count an overflow — but only when no number is free, so
 * a request that lost a race for a row tries again instead of overflowing.
 */
export function dniStore(db: DbOrTx): DniStore {
  return {
    async reserve(poolKey, session: SessionAttribution, now) {
      const at = now.toISOString();
      const attr = JSON.stringify({ first: session.first, last: session.last });
      for (let attempt = 0; attempt < 5; attempt++) {
        const r = await db.execute(sql`
          with p as (select id, reservation_seconds, default_number from dni_pools where pool_key = ${poolKey}),
          ext as (
            update dni_pool_numbers n set reserved_until = ${at}::timestamptz + make_interval(secs => p.reservation_seconds), last_used_at = ${at}::timestamptz, attribution = ${attr}::jsonb
              from p where n.pool_id = p.id and n.session_id = ${session.sessionId} and n.reserved_until > ${at}::timestamptz
            returning n.tracking_number_id, n.reserved_until),
          pick as (
            select n.id from dni_pool_numbers n join p on n.pool_id = p.id join tracking_numbers t on t.id = n.tracking_number_id and t.status = 'active'
             where (n.reserved_until is null or n.reserved_until <= ${at}::timestamptz) and not exists (select 1 from ext)
             order by n.last_used_at nulls first, n.id limit 1 for update of n skip locked),
          took as (
            update dni_pool_numbers n set session_id = ${session.sessionId}, reserved_until = ${at}::timestamptz + make_interval(secs => p.reservation_seconds), last_used_at = ${at}::timestamptz, attribution = ${attr}::jsonb
              from p, pick where n.id = pick.id
            returning n.tracking_number_id, n.reserved_until),
          free as (
            select count(*)::int as n from dni_pool_numbers n join p on n.pool_id = p.id join tracking_numbers t on t.id = n.tracking_number_id and t.status = 'active'
             where n.reserved_until is null or n.reserved_until <= ${at}::timestamptz),
          over as (
            update dni_pools d set overflow_count = d.overflow_count + 1, last_overflow_at = ${at}::timestamptz
              from p where d.id = p.id and not exists (select 1 from ext) and not exists (select 1 from took) and (select n from free) = 0
            returning d.default_number)
          select (select id from p) as pool_id,
                 (select t.phone_number from ext join tracking_numbers t on t.id = ext.tracking_number_id limit 1) as extended_number,
                 (select reserved_until from ext limit 1) as extended_until,
                 (select t.phone_number from took join tracking_numbers t on t.id = took.tracking_number_id) as taken_number,
                 (select reserved_until from took) as taken_until,
                 (select default_number from over) as overflow_number`);
        const row = r.rows[0] as Row | undefined;
        if (!row?.pool_id) return null;
        if (row.extended_number) return { kind: "reserved", phoneNumber: row.extended_number as string, reservedUntil: new Date(row.extended_until as string), extended: true };
        if (row.taken_number) return { kind: "reserved", phoneNumber: row.taken_number as string, reservedUntil: new Date(row.taken_until as string), extended: false };
        if (row.overflow_number) return { kind: "overflow", phoneNumber: row.overflow_number as string };
        // A free number was being taken by a concurrent request: look again.
      }
      const r = await db.execute(sql`update dni_pools set overflow_count = overflow_count + 1, last_overflow_at = ${at}::timestamptz where pool_key = ${poolKey} returning default_number`);
      const row = r.rows[0] as Row | undefined;
      return row ? { kind: "overflow", phoneNumber: row.default_number as string } : null;
    },
    async listPools(clientId) {
      const r = await db.execute(sql`${POOL_SELECT} ${clientId ? sql`where p.client_id = ${clientId}` : sql``} order by lower(c.name), lower(p.name), p.id`);
      return (r.rows as Row[]).map(toPool);
    },
    async createPool(p) {
      const ids = sql.join(p.trackingNumberIds.map((id) => sql`${id}::uuid`), sql`, `);
      const ok = await db.execute(sql`select count(*)::int as n from tracking_numbers t
          where t.id in (${ids}) and t.client_id = ${p.clientId} and t.status = 'active'
            and not exists (select 1 from dni_pool_numbers n where n.tracking_number_id = t.id)`);
      if (Number((ok.rows[0] as Row).n) !== p.trackingNumberIds.length) return null;
      const r = await db.execute(sql`with p as (
          insert into dni_pools (client_id, campaign_id, name, pool_key, default_number, reservation_seconds)
          values (${p.clientId}, ${p.campaignId}, ${p.name}, ${p.poolKey}, ${p.defaultNumber}, ${p.reservationSeconds}) returning id),
        n as (insert into dni_pool_numbers (pool_id, tracking_number_id) select p.id, t from p, unnest(array[${ids}]) as t on conflict (tracking_number_id) do nothing returning id)
        select (select id from p) as id, (select count(*) from n)::int as n`);
      const row = r.rows[0] as Row;
      if (Number(row.n) !== p.trackingNumberIds.length) return null;
      const out = await db.execute(sql`${POOL_SELECT} where p.id = ${row.id as string}`);
      return toPool(out.rows[0] as Row);
    },
  };
}

const PLATFORM_FILTER: Record<string, SQL> = {
  google: sql`(a.gclid is not null or a.gbraid is not null or a.wbraid is not null)`,
  microsoft: sql`a.msclkid is not null`,
  csv: sql`true`,
};

export function conversionStore(db: DbOrTx): ConversionStore {
  return {
    async exportWon(q) {
      const r = await db.execute(sql`
        with w as (
          select l.id, l.outcome_at, l.outcome_value_cents, l.received_at, l.source, cp.name as campaign_name, (x.lead_id is not null) as exported_before,
                 a.gclid, a.gbraid, a.wbraid, a.msclkid, a.fbclid, a.ttclid, a.utm_source, a.utm_medium, a.utm_campaign, a.utm_term, a.utm_content,
                 a.landing_page, a.referrer, a.first_touch_at
            from leads l join campaigns cp on cp.id = l.campaign_id
            left join lead_attributions a on a.lead_id = l.id
            left join conversion_exports x on x.lead_id = l.id and x.platform = ${q.platform}
           where l.client_id = ${q.clientId} and l.outcome = 'won' and not l.is_test
             and l.outcome_at >= ${q.start.toISOString()} and l.outcome_at < ${q.end.toISOString()}
             and ${PLATFORM_FILTER[q.platform]!} and (${q.again}::boolean or x.lead_id is null)),
        rec as (
          insert into conversion_exports (lead_id, platform, client_id, first_exported_at, last_exported_at, export_count, last_actor)
          select id, ${q.platform}, ${q.clientId}, ${q.now.toISOString()}, ${q.now.toISOString()}, 1, ${q.actor} from w
          on conflict (lead_id, platform) do update set last_exported_at = excluded.last_exported_at, export_count = conversion_exports.export_count + 1, last_actor = excluded.last_actor)
        select * from w order by outcome_at, id`);
      return (r.rows as Row[]).map(
        (x): Conversion => ({
          leadId: x.id as string,
          wonAt: new Date(x.outcome_at as string),
          valueCents: x.outcome_value_cents === null || x.outcome_value_cents === undefined ? null : Number(x.outcome_value_cents),
          gclid: str(x.gclid),
          gbraid: str(x.gbraid),
          wbraid: str(x.wbraid),
          msclkid: str(x.msclkid),
          fbclid: str(x.fbclid),
          ttclid: str(x.ttclid),
          utmSource: str(x.utm_source),
          utmMedium: str(x.utm_medium),
          utmCampaign: str(x.utm_campaign),
          utmTerm: str(x.utm_term),
          utmContent: str(x.utm_content),
          landingPage: str(x.landing_page),
          referrer: str(x.referrer),
          firstTouchAt: x.first_touch_at ? new Date(x.first_touch_at as string).toISOString() : null,
          receivedAt: new Date(x.received_at as string),
          leadSource: x.source as string,
          campaignName: x.campaign_name as string,
          exportedBefore: x.exported_before === true,
        }),
      );
    },
    async clientFileSettings(clientId) {
      const r = await db.execute(sql`select c.name, c.timezone, c.currency, s.google_conversion_name, s.microsoft_conversion_name, s.cookie_days
          from clients c left join attribution_settings s on s.client_id = c.id where c.id = ${clientId}`);
      const x = r.rows[0] as Row | undefined;
      return x
        ? {
            name: x.name as string,
            timezone: x.timezone as string,
            currency: x.currency as string,
            googleConversionName: str(x.google_conversion_name) ?? "Closed deal",
            microsoftConversionName: str(x.microsoft_conversion_name) ?? "Closed deal",
            cookieDays: x.cookie_days === null || x.cookie_days === undefined ? 90 : Number(x.cookie_days),
          }
        : null;
    },
    async saveSettings(clientId, s) {
      await db.execute(sql`insert into attribution_settings (client_id, google_conversion_name, microsoft_conversion_name, cookie_days)
          values (${clientId}, coalesce(${s.googleConversionName ?? null}::text, 'Closed deal'), coalesce(${s.microsoftConversionName ?? null}::text, 'Closed deal'), coalesce(${s.cookieDays ?? null}::int, 90))
          on conflict (client_id) do update set
            google_conversion_name = coalesce(${s.googleConversionName ?? null}::text, attribution_settings.google_conversion_name),
            microsoft_conversion_name = coalesce(${s.microsoftConversionName ?? null}::text, attribution_settings.microsoft_conversion_name),
            cookie_days = coalesce(${s.cookieDays ?? null}::int, attribution_settings.cookie_days),
            updated_at = now()`);
    },
  };
}

/** The grouped value of each report dimension; click ids stand in for a missing source/medium. */
const DIMENSION_SQL: Record<ReportDimension, SQL> = {
  source: sql`lower(coalesce(a.utm_source, case when a.gclid is not null or a.gbraid is not null or a.wbraid is not null then 'google' when a.msclkid is not null then 'bing'
      when a.fbclid is not null then 'facebook' when a.ttclid is not null then 'tiktok' end))`,
  medium: sql`lower(coalesce(a.utm_medium, case when coalesce(a.gclid, a.gbraid, a.wbraid, a.msclkid, a.fbclid, a.ttclid) is not null then 'cpc' end))`,
  campaign: sql`a.utm_campaign`,
  keyword: sql`lower(a.utm_term)`,
  content: sql`a.utm_content`,
};

export function attributionReportRepository(db: DbOrTx): AttributionReportRepository {
  return {
    async rows({ from, to, clientId, dimension }) {
      const dim = DIMENSION_SQL[dimension];
      const r = await db.execute(sql`
        with cw as materialized (
          select c.id, c.name, c.currency,
            (${from}::date::timestamp at time zone c.timezone) as start_at,
            ((${to}::date + 1)::timestamp at time zone c.timezone) as end_at
          from clients c ${clientId ? sql`where c.id = ${clientId}` : sql``}
        ),
        ll as (
          select l.id, l.client_id, l.status, l.billable, l.outcome, l.outcome_value_cents, ${dim} as value
            from cw join leads l on l.client_id = cw.id and not l.is_test and l.received_at >= cw.start_at and l.received_at < cw.end_at
            left join lead_attributions a on a.lead_id = l.id
        ),
        money as (
          select ll.id, coalesce(sum(e.amount_cents), 0)::bigint as billed,
                 coalesce(sum(e.amount_cents) filter (where e.kind in ('lead_charge', 'dispute_credit')), 0)::bigint as lead_charges
            from ll join ledger_entries e on e.lead_id = ll.id group by ll.id
        )
        select ll.client_id, cw.name as client_name, cw.currency, ll.value,
               count(*)::int as leads,
               count(*) filter (where ll.status = 'qualified')::int as qualified,
               count(*) filter (where ll.billable)::int as billable,
               count(*) filter (where ll.outcome = 'won')::int as won,
               coalesce(sum(ll.outcome_value_cents) filter (where ll.outcome = 'won'), 0)::bigint as revenue,
               coalesce(sum(m.billed), 0)::bigint as billed,
               coalesce(sum(m.lead_charges), 0)::bigint as lead_charges
          from ll join cw on cw.id = ll.client_id left join money m on m.id = ll.id
         group by ll.client_id, cw.name, cw.currency, ll.value
         order by lower(cw.name), ll.client_id, count(*) filter (where ll.status = 'qualified') desc, count(*) desc, ll.value nulls last`);
      return (r.rows as Row[]).map(
        (x): AttributionReportRow => ({
          clientId: x.client_id as string,
          clientName: x.client_name as string,
          currency: x.currency as string,
          value: str(x.value),
          leads: Number(x.leads),
          qualified: Number(x.qualified),
          billableLeads: Number(x.billable),
          won: Number(x.won),
          revenueCents: Number(x.revenue),
          billedCents: Number(x.billed),
          leadChargesCents: Number(x.lead_charges),
        }),
      );
    },
  };
}
