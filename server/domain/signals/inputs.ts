/**
 * What a form or API post carries for the intake checks besides the contact: the visitor's IP and
 * device/session id (vendors post them; a form's IP is the request's own), a TrustedForm
 * certificate URL and a Jornaya LeadiD token. Names are matched like contact fields (case and
 * separators ignored); the values stay in the lead's payload as sent.
 */
export interface SignalInputs {
  ip: string | null;
  deviceId: string | null;
  trustedFormCertUrl: string | null;
  jornayaLeadId: string | null;
}

const IP_KEYS = new Set(["ip", "ip_address", "ipaddress", "visitor_ip", "client_ip"]);
const DEVICE_KEYS = new Set(["device_id", "deviceid", "session_id", "sessionid"]);
const TRUSTEDFORM_KEYS = new Set(["xxtrustedformcerturl", "trustedform_cert_url", "trusted_form_cert_url", "trustedformcerturl", "trustedform"]);
const JORNAYA_KEYS = new Set(["universal_leadid", "universalleadid", "leadid_token", "jornaya_leadid", "jornaya_lead_id", "leadid"]);

/** https://cert.trustedform.com/<40 hex>: the only certificate URLs accepted (and the only host ever claimed). */
export const TRUSTEDFORM_CERT_URL = /^https:\/\/cert\.trustedform\.com\/([0-9a-f]{40})$/;
/** A Jornaya LeadiD token: a UUID. */
const JORNAYA_TOKEN = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;
/** IPv4 or IPv6 characters only; the locator decides whether it is an address. */
const IP_CHARS = /^[0-9a-f.:]{2,45}$/i;

function keyOf(k: string): string {
  return k.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

function str(v: unknown, max: number): string | null {
  if (typeof v !== "string") return null;
  const t = v.trim();
  return t && t.length <= max ? t : null;
}

export function signalInputsOf(payload: Record<string, unknown>, opts: { source: "form" | "api"; requestIp: string | null }): SignalInputs {
  const out: SignalInputs = { ip: null, deviceId: null, trustedFormCertUrl: null, jornayaLeadId: null };
  const fields = payload.fields && typeof payload.fields === "object" && !Array.isArray(payload.fields) ? (payload.fields as Record<string, unknown>) : {};
  for (const [rawKey, value] of [...Object.entries(fields), ...Object.entries(payload)]) {
    const k = keyOf(rawKey);
    if (IP_KEYS.has(k)) out.ip = str(value, 45);
    else if (DEVICE_KEYS.has(k)) out.deviceId = str(value, 200);
    else if (TRUSTEDFORM_KEYS.has(k)) out.trustedFormCertUrl = str(value, 200);
    else if (JORNAYA_KEYS.has(k)) out.jornayaLeadId = str(value, 100);
  }
  // A form's visitor is the request itself: a posted "ip" field could be anything.
  if (opts.source === "form") out.ip = opts.requestIp;
  if (out.ip !== null) out.ip = out.ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  if (out.ip !== null && !IP_CHARS.test(out.ip)) out.ip = null;
  if (out.trustedFormCertUrl !== null && !TRUSTEDFORM_CERT_URL.test(out.trustedFormCertUrl)) out.trustedFormCertUrl = null;
  if (out.jornayaLeadId !== null && !JORNAYA_TOKEN.test(out.jornayaLeadId)) out.jornayaLeadId = null;
  return out;
}
