/**
 * The viewer's time zone: the `tz` cookie the page sets from the browser's own setting (root.tsx),
 * when it names a zone this server knows; UTC until the browser has said (the first page view).
 */
export function viewerZone(request: Request): string {
  const m = /(?:^|;\s*)tz=([^;]+)/.exec(request.headers.get("Cookie") ?? "");
  if (!m) return "UTC";
  try {
    const zone = decodeURIComponent(m[1]!);
    if (zone.length > 64) return "UTC";
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}
