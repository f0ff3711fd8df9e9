import { sql } from "drizzle-orm";
import { executePrepared, type Db } from "../client";

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
  /** The key posted to was the form's test key: the lead is a test lead (docs/decisions/012-test-mode.md). */
  isTest: boolean;
  /** The form's client (null when archived): fetched in the same query. */
  client: IntakeClient | null;
}

export interface IntakeClient {
  id: string;
  timezone: string;
  phoneCountry: string;
}

/** Lookups on the hot intake path: a form by public (or test) key, a client's judging context (API keys: deps.apiKeys.authenticateApiKey). */
export function intakeSources(db: Db) {
  return {
    async findForm(publicKey: string): Promise<IntakeForm | null> {
      if (!/^[\w-]{4,100}$/.test(publicKey)) return null;
      const r = await executePrepared(
        db,
        sql`select f.id, f.client_id, f.campaign_id, f.allowed_origins, f.thank_you_url, f.field_mapping, f.honeypot_field, f.consent_text, f.status,
                 f.test_public_key = ${publicKey} as is_test, c.timezone, c.phone_country, c.status as client_status
            from forms f join clients c on c.id = f.client_id where f.public_key = ${publicKey} or f.test_public_key = ${publicKey}`,
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
        isTest: f.is_test === true,
        client: f.client_status === "archived" ? null : { id: f.client_id as string, timezone: f.timezone as string, phoneCountry: f.phone_country as string },
      };
    },
    async findClient(id: string): Promise<IntakeClient | null> {
      const r = await executePrepared(db, sql`select id, timezone, phone_country from clients where id = ${id} and status <> 'archived'`);
      const c = r.rows[0] as Record<string, unknown> | undefined;
      return c ? { id: c.id as string, timezone: c.timezone as string, phoneCountry: c.phone_country as string } : null;
    },
  };
}
