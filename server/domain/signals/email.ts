import disposableDomains from "disposable-email-domains";
import disposableWildcards from "disposable-email-domains/wildcard.json";
import type { EmailSignal } from "./signals";

/**
 * E-mail checks at intake: syntax, a disposable domain (the maintained `disposable-email-domains`
 * list, its wildcard list covering subdomains too), and role addresses that reach a desk, not a
 * person (info@, noreply@ …). Pure apart from the lists, which are read once on first use.
 */

/** Local parts that name a function, not a person. */
export const ROLE_LOCAL_PARTS: readonly string[] = [
  "admin", "administrator", "billing", "contact", "customerservice", "enquiries", "hello", "help", "hostmaster", "info",
  "inquiries", "marketing", "no-reply", "no_reply", "noreply", "donotreply", "do-not-reply", "office", "postmaster", "root",
  "sales", "support", "team", "webmaster",
];
const ROLES = new Set(ROLE_LOCAL_PARTS);

let disposable: Set<string> | null = null;
let wildcards: Set<string> | null = null;
function lists(): { exact: Set<string>; wild: Set<string> } {
  disposable ??= new Set(disposableDomains as string[]);
  wildcards ??= new Set(disposableWildcards as string[]);
  return { exact: disposable, wild: wildcards };
}

/** A practical address syntax: one @, a local part without spaces, a dotted domain of letters, digits and hyphens. */
const EMAIL_RE = /^[^\s@"(),:;<>[\]\\]{1,64}@(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function isDisposableDomain(domain: string): boolean {
  const { exact, wild } = lists();
  if (exact.has(domain)) return true;
  // The domain and each parent domain against the wildcard list (*.example.com).
  for (let d = domain, dot = d.indexOf("."); dot > 0; d = d.slice(dot + 1), dot = d.indexOf(".")) {
    if (wild.has(d)) return true;
  }
  return false;
}

export function checkEmail(email: string | null): EmailSignal {
  if (!email) return { status: "no_email", valid: null, disposable: null, role: null, domain: null };
  const e = email.trim().toLowerCase();
  const at = e.lastIndexOf("@");
  const domain = at > 0 ? e.slice(at + 1) : null;
  if (!EMAIL_RE.test(e) || !domain) return { status: "checked", valid: false, disposable: null, role: null, domain };
  const local = e.slice(0, at).split("+")[0]!;
  return { status: "checked", valid: true, disposable: isDisposableDomain(domain), role: ROLES.has(local), domain };
}
