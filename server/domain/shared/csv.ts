/** A spreadsheet must not run a name like "=HYPERLINK(…)" as a formula (CSV injection). */
export function safeText(s: string | null | undefined): string {
  if (!s) return "";
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
