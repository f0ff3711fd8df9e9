import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { sha256Hex } from "../../security/crypto";

export interface IntakeForm {
  id: string;
  clientId: string;
  campaignId: string;
  allowedOrigins: string[];
  thankYouUrl: string | null;
  fieldMapping: Record<string, string>;
  honeypotField: string;
  consentText: string | null;
  status: "active" | "disabled";
}

export interface IntakeClient {
  id: string;
  timezone: string;
  phoneCountry: string;
}

/** Lookups on the hot intake path: a form by public key, a client's judging context, an API key. */
export function intakeSources(db: Db) {
  return {
    async findForm(publicKey: string): Promise<IntakeForm | null> {
      if (!/^[\w-]{4,100}$/.test(publicKey)) return null;
      const r = await db.execute(
        sql`select id, client_id, campaign_id, allowed_origins, thank_you_url, field_mapping, honeypot_field, consent_text, status from forms where public_key = ${publicKey}`,
      );
      const f = r.rows[0] as Record<string, unknown> | undefined;
      if (!f) return null;
      return {
        id: f.id as string,
        clientId: f.client_id as string,
        campaignId: f.campaign_id as string,
        allowedOrigins: ((f.allowed_origins as string[]) ?? []).map((o) => o.toLowerCase().replace(/\/+$/, "")),
        thankYouUrl: (f.thank_you_url as string | null) ?? null,
        fieldMapping: (f.field_mapping as Record<string, string>) ?? {},
        honeypotField: f.honeypot_field as string,
        consentText: (f.consent_text as string | null) ?? null,
        status: f.status as "active" | "disabled",
      };
    },
    async findClient(id: string): Promise<IntakeClient | null> {
      const r = await db.execute(sql`select id, timezone, phone_country from clients where id = ${id} and status <> 'archived'`);
      const c = r.rows[0] as Record<string, unknown> | undefined;
      return c ? { id: c.id as string, timezone: c.timezone as string, phoneCountry: c.phone_country as string } : null;
    },
    async authenticateApiKey(plainKey: string): Promise<{ apiKeyId: string; clientId: string } | null> {
      const r = await db.execute(sql`select id, client_id, last_used_at from api_keys where key_hash = ${sha256Hex(plainKey)} and revoked_at is null`);
      const k = r.rows[0] as Record<string, unknown> | undefined;
      if (!k) return null;
      // Touch last_used_at at most once a minute: a write per request would serialize a vendor's posts on one row.
      const last = k.last_used_at ? new Date(k.last_used_at as string).getTime() : 0;
      if (Date.now() - last > 60_000) {
        await db.execute(sql`update api_keys set last_used_at = now() where id = ${k.id as string} and (last_used_at is null or last_used_at < now() - interval '1 minute')`);
      }
      return { apiKeyId: k.id as string, clientId: k.client_id as string };
    },
  };
}
