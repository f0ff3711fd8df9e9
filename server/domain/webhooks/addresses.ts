/**
 * Which network addresses a webhook may never reach in production (SSRF): loopback, private,
 * link-local (cloud metadata at 169.254.169.254 included), carrier-grade NAT, unspecified,
 * multicast and reserved ranges, and their IPv4-mapped IPv6 forms. Pure: the HTTP sender checks
 * every address the name resolves to at send time, the endpoint form checks literal addresses.
 */
function v4Parts(ip: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const p = m.slice(1).map(Number);
  return p.every((x) => x <= 255) ? p : null;
}

function forbiddenV4([a, b]: number[]): string | null {
  if (a === 127) return "loopback";
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 169 && b === 254) return "link-local (cloud metadata)";
  if (a === 100 && b! >= 64 && b! <= 127) return "carrier-grade NAT";
  if (a === 0) return "unspecified";
  if (a! >= 224) return "multicast or reserved";
  if (a === 192 && b === 0) return "reserved";
  if (a === 198 && (b === 18 || b === 19)) return "benchmarking";
  return null;
}

/** Why `ip` may not be reached, or null when it is a public address. */
export function forbiddenAddressReason(ip: string): string | null {
  const raw = ip.trim().toLowerCase().replace(/^\[|\]$/g, "");
  const v4 = v4Parts(raw);
  if (v4) return forbiddenV4(v4);
  if (!raw.includes(":")) return null;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(raw) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(raw);
  if (mapped) {
    const p = v4Parts(mapped[1]!);
    return p ? forbiddenV4(p) : "reserved";
  }
  const hexMapped = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(raw);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1]!, 16);
    const lo = parseInt(hexMapped[2]!, 16);
    return forbiddenV4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  if (raw === "::1") return "loopback";
  if (raw === "::") return "unspecified";
  const first = parseInt(raw.split(":")[0] || "0", 16);
  if ((first & 0xfe00) === 0xfc00) return "private (unique local)";
  if ((first & 0xffc0) === 0xfe80) return "link-local";
  if ((first & 0xff00) === 0xff00) return "multicast";
  if (first === 0x64 && raw.startsWith("64:ff9b:")) return "NAT64";
  return null;
}
