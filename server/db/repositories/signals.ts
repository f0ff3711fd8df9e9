import { sql } from "drizzle-orm";
import type { PhoneLineInfo, PhoneLookupCache, VelocityCounter, VelocityKeys } from "../../domain/signals/ports";
import type { VelocitySignal } from "../../domain/signals/signals";
import { executePrepared, type DbOrTx } from "../client";

type Row = Record<string, unknown>;

/**
 * Phone lookups already paid for (docs/decisions/021-intake-signals.md): the `phone_lookups` table,
 * fronted by a small in-process map so a repeat number costs no round trip. An entry is used only
 * while it is younger than the caller's `since`.
 */
const memory = new Map<string, { info: PhoneLineInfo; at: number }>();
const MEMORY_MAX = 50_000;

function remember(phone: string, info: PhoneLineInfo, at: number): void {
  if (memory.size >= MEMORY_MAX) memory.delete(memory.keys().next().value!);
  memory.set(phone, { info, at });
}

/** Forgets the in-process copies (tests that change the table underneath). */
export function forgetCachedLookups(): void {
  memory.clear();
}

export function phoneLookupCache(db: DbOrTx): PhoneLookupCache {
  return {
    async get(phone, since) {
      const m = memory.get(phone);
      if (m && m.at >= since.getTime()) return m.info;
      const r = await executePrepared(db, sql`select valid, line_type, carrier, looked_up_at from phone_lookups where phone = ${phone} and looked_up_at >= ${since.toISOString()}`);
      const row = r.rows[0] as Row | undefined;
      if (!row) return null;
      const info = { valid: row.valid === true, lineType: (row.line_type as string | null) ?? null, carrier: (row.carrier as string | null) ?? null };
      remember(phone, info, new Date(row.looked_up_at as string).getTime());
      return info;
    },
    async put(phone, info, at) {
      remember(phone, info, at.getTime());
      await executePrepared(
        db,
        sql`insert into phone_lookups (phone, valid, line_type, carrier, looked_up_at) values (${phone}, ${info.valid}, ${info.lineType}, ${info.carrier}, ${at.toISOString()})
            on conflict (phone) do update set valid = excluded.valid, line_type = excluded.line_type, carrier = excluded.carrier, looked_up_at = excluded.looked_up_at`,
      );
    },
    async takeBudget(clientId, day) {
      // One statement: the client's switch and budget, and the day's count raised only while below it.
      const r = await executePrepared(
        db,
        sql`with s as (select phone_lookup_enabled as enabled, phone_lookup_daily_budget as budget from clients where id = ${clientId}),
             t as (
               insert into phone_lookup_usage (client_id, day, used)
               select ${clientId}, ${day}::date, 1 from s where s.enabled and s.budget > 0
               on conflict (client_id, day) do update set used = phone_lookup_usage.used + 1
                 where phone_lookup_usage.used < (select budget from s)
               returning used)
            select (select enabled from s) as enabled, (select count(*) from t)::int as granted`,
      );
      const row = r.rows[0] as Row | undefined;
      if (!row || row.enabled !== true) return "off";
      return Number(row.granted) > 0 ? "granted" : "budget_spent";
    },
  };
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * Velocity counters (docs/decisions/021-intake-signals.md): each key gets a minute bucket (hourly
 * windows sum the last 60) or an hour bucket (daily windows sum the last 24). One statement per
 * lead adds to its buckets and reads the windows; keys go in a fixed order, so two leads sharing
 * keys lock the bucket rows in the same order and never deadlock.
 */
export function velocityCounter(db: DbOrTx): VelocityCounter {
  return {
    async countVelocity(k: VelocityKeys, at: Date) {
      const scope = `${k.isTest ? "t" : "l"}|${k.clientId}`;
      const wanted: { name: keyof VelocitySignal; key: string; size: number; span: number }[] = [];
      if (k.ip) {
        wanted.push({ name: "ipPerHour", key: `${scope}|ip|${k.ip}|m`, size: MINUTE, span: 60 });
        wanted.push({ name: "ipPerDay", key: `${scope}|ip|${k.ip}|h`, size: HOUR, span: 24 });
      }
      if (k.phone) wanted.push({ name: "phonePerDay", key: `${scope}|ph|${k.phone}|h`, size: HOUR, span: 24 });
      if (k.deviceId) wanted.push({ name: "devicePerHour", key: `${scope}|dev|${k.deviceId}|m`, size: MINUTE, span: 60 });
      const out: VelocitySignal = { ipPerHour: null, ipPerDay: null, phonePerDay: null, devicePerHour: null };
      if (wanted.length === 0) return out;
      wanted.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const t = at.getTime();
      const keys = wanted.map((w) => w.key);
      const buckets = wanted.map((w) => new Date(Math.floor(t / w.size) * w.size).toISOString());
      const since = wanted.map((w) => new Date(Math.floor(t / w.size) * w.size - (w.span - 1) * w.size).toISOString());
      const list = (xs: string[]) => sql.join(xs.map((x) => sql`${x}`), sql`, `);
      // The current bucket comes back from the upsert (after waiting for any concurrent lead that
      // holds it); the earlier buckets of the window are closed, so the statement's snapshot has them.
      const r = await executePrepared(
        db,
        sql`with k as (select * from unnest(array[${list(keys)}]::text[], array[${list(buckets)}]::timestamptz[], array[${list(since)}]::timestamptz[]) with ordinality as k(key, bucket, since, ord)),
             up as (
               insert into velocity_counters (key, bucket, leads) select key, bucket, 1 from k order by ord
               on conflict (key, bucket) do update set leads = velocity_counters.leads + 1
               returning key, leads)
            select k.key, (coalesce((select leads from up where up.key = k.key), 0)
                   + coalesce((select sum(v.leads) from velocity_counters v where v.key = k.key and v.bucket >= k.since and v.bucket < k.bucket), 0))::int as n
              from k order by k.ord`,
      );
      const byKey = new Map((r.rows as Row[]).map((row) => [row.key as string, Number(row.n)]));
      for (const w of wanted) out[w.name] = byKey.get(w.key) ?? null;
      return out;
    },
  };
}

/** Drops velocity buckets older than two days (no window reaches further back). */
export async function purgeVelocityBuckets(db: DbOrTx, now: Date): Promise<number> {
  const r = await db.execute(sql`delete from velocity_counters where bucket < ${new Date(now.getTime() - 2 * 86_400_000).toISOString()}`);
  return r.rowCount ?? 0;
}
