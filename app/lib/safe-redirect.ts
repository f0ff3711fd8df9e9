/** Where a person may be sent after signing in: a page of this app on PUBLIC_URL's origin, else home. */
const APP_PATHS = /^\/(agency|portal)(\/|$)/;
export function safeRedirect(to: string, publicUrl: string, fallback: string): string {
  if (!to) return fallback;
  let url: URL;
  try {
    url = new URL(to, publicUrl);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(publicUrl).origin || !APP_PATHS.test(url.pathname)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
