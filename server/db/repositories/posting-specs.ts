import { sql } from "drizzle-orm";
import type { PostingSpecRepository, SpecRef, SpecSourceRow } from "../../domain/posting-specs/posting-specs";
import type { DbOrTx } from "../client";
import { isUuid } from "../../domain/shared/formats";

type Row = Record<string, unknown>;

/** A form or an API key as a posting spec reads it (never an API key's hash). */
const SOURCES = sql`
  select 'form' as kind, f.id, f.client_id, c.name as client_name, f.name, f.public_key, f.test_public_key, f.field_mapping,
         null::text as mode, null::text as prefix, f.spec_token, (f.status = 'active' and c.status <> 'archived') as usable
    from forms f join clients c on c.id = f.client_id
  union all
  select 'api', k.id, k.client_id, c.name, k.name, null, null, null, k.mode, k.prefix, k.spec_token, (k.revoked_at is null and c.status <> 'archived')
    from api_keys k join clients c on c.id = k.client_id`;

function toSource(r: Row): SpecSourceRow {
  const kind = r.kind as "form" | "api";
  return {
    kind,
    id: r.id as string,
    clientId: r.client_id as string,
    clientName: r.client_name as string,
    name: r.name as string,
    ...(kind === "form"
      ? { publicKey: r.public_key as string, testPublicKey: (r.test_public_key as string | null) ?? null, fieldMapping: (r.field_mapping as Record<string, string>) ?? {} }
      : { mode: r.mode as "live" | "test", prefix: r.prefix as string }),
    specToken: (r.spec_token as string | null) ?? null,
    usable: r.usable === true,
  };
}

export function postingSpecRepository(db: DbOrTx): PostingSpecRepository {
  return {
    async findSource(ref) {
      if (!isUuid(ref.id)) return null;
      const r = await db.execute(sql`select * from (${SOURCES}) s where s.kind = ${ref.kind} and s.id = ${ref.id}`);
      return r.rows[0] ? toSource(r.rows[0] as Row) : null;
    },
    async findSourceByToken(token) {
      const r = await db.execute(sql`select * from (${SOURCES}) s where s.spec_token = ${token}`);
      return r.rows[0] ? toSource(r.rows[0] as Row) : null;
    },
    async setToken(ref: SpecRef, token) {
      if (ref.kind === "form") await db.execute(sql`update forms set spec_token = ${token} where id = ${ref.id}`);
      else await db.execute(sql`update api_keys set spec_token = ${token} where id = ${ref.id}`);
    },
    async acceptance(ref, clientId, since) {
      const column = ref.kind === "form" ? sql`form_id` : sql`api_key_id`;
      const r = await db.execute(sql`
        select count(*) filter (where status = 'qualified')::int as qualified, count(*) filter (where status in ('qualified', 'rejected'))::int as judged
          from leads where client_id = ${clientId} and ${column} = ${ref.id} and not is_test and received_at >= ${since.toISOString()}`);
      const x = r.rows[0] as Row | undefined;
      return { qualified: Number(x?.qualified ?? 0), judged: Number(x?.judged ?? 0) };
    },
  };
}
