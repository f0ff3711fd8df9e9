import type { ConsentVerifier } from "../../domain/signals/ports";
import type { ConsentClaim } from "../../domain/signals/signals";
import { TRUSTEDFORM_CERT_URL } from "../../domain/signals/inputs";

/**
 * Claims a TrustedForm certificate (POST to the certificate's URL with HTTP Basic `API:<key>`) and
 * keeps what TrustedForm says about it as evidence: when and where the form was filled in. Only
 * `https://cert.trustedform.com/<40 hex>` URLs are claimed, and the request goes to `apiBase`
 * (TRUSTEDFORM_API_BASE, default TrustedForm's own host) + the certificate id, so a lead can never
 * make the server call an address of its choosing.
 */
export interface TrustedFormOptions {
  apiKey: string;
  apiBase?: string;
}

const STATUS_WORDS: Record<number, string> = {
  401: "TrustedForm refused the API key",
  403: "TrustedForm refused the claim",
  404: "certificate not found",
  410: "certificate expired",
};

function str(v: unknown): string | null {
  return typeof v === "string" && v ? v.slice(0, 500) : null;
}

export function trustedFormVerifier(opts: TrustedFormOptions): ConsentVerifier {
  const base = (opts.apiBase ?? "https://cert.trustedform.com").replace(/\/+$/, "");
  const auth = `Basic ${Buffer.from(`API:${opts.apiKey}`).toString("base64")}`;
  return {
    async claim(certUrl, timeoutMs): Promise<ConsentClaim> {
      const m = TRUSTEDFORM_CERT_URL.exec(certUrl);
      if (!m) return { status: "failed", detail: "not a TrustedForm certificate URL" };
      try {
        const res = await fetch(`${base}/${m[1]}`, {
          method: "POST",
          headers: { Authorization: auth, Accept: "application/json", "Content-Type": "application/json" },
          body: JSON.stringify({}),
          redirect: "error",
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
        if (!res.ok) return { status: res.status >= 500 ? "unavailable" : "failed", detail: STATUS_WORDS[res.status] ?? `TrustedForm answered ${res.status}` };
        const cert = (body?.cert ?? {}) as Record<string, unknown>;
        return {
          status: "verified",
          createdAt: str(cert.created_at),
          expiresAt: str(body?.expires_at ?? cert.expires_at),
          ip: str(cert.ip),
          pageUrl: str(cert.page_url),
        };
      } catch {
        return { status: "unavailable" };
      }
    },
  };
}
