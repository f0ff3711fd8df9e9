import { formatCents } from "../money-format";
import { ENDPOINT_DISABLED_EVENT } from "../webhooks/events";
import type { EventFacts } from "../webhooks/ports";

/** Subject, plain text and simple HTML of one notification e-mail, from what the event is about. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function compose(subject: string, lines: [string, string | null | undefined][], link: { label: string; url: string } | null, intro: string): RenderedEmail {
  const rows = lines.filter(([, v]) => v !== null && v !== undefined && v !== "") as [string, string][];
  const text = [intro, "", ...rows.map(([k, v]) => `${k}: ${v}`), ...(link ? ["", `${link.label}: ${link.url}`] : [])].join("\n");
  const html =
    `<p>${esc(intro)}</p><table>` +
    rows.map(([k, v]) => `<tr><th align="left">${esc(k)}</th><td>${esc(v)}</td></tr>`).join("") +
    `</table>` +
    (link ? `<p><a href="${esc(link.url)}">${esc(link.label)}</a></p>` : "");
  return { subject, text, html };
}

export function renderEmail(facts: EventFacts & { payload: Record<string, unknown>; clientName: string | null }, urls: { lead(id: string): string; console: string }): RenderedEmail {
  const client = facts.clientName ?? "your client";
  if (facts.type === "lead.qualified" && facts.lead) {
    const l = facts.lead;
    return compose(
      `New qualified lead: ${l.name ?? l.phone ?? l.email ?? "unnamed"} (${client})`,
      [
        ["Name", l.name],
        ["Phone", l.phone],
        ["E-mail", l.email],
        ["ZIP", [l.zip, l.city, l.state].filter(Boolean).join(" ")],
        ["Campaign", l.campaign?.name],
        ["Source", l.source],
        ["Received", l.receivedAt.toISOString()],
        ["Charge", l.chargeCents !== null ? formatCents(l.chargeCents, l.currency) : null],
      ],
      { label: "Open the lead", url: urls.lead(l.id) },
      `A new qualified lead arrived for ${client}.`,
    );
  }
  if (facts.type === "dispute.resolved" && facts.dispute) {
    const d = facts.dispute;
    return compose(
      `Dispute ${d.status.replace(/_/g, " ")}: ${facts.lead?.name ?? facts.lead?.phone ?? d.leadId} (${client})`,
      [
        ["Decision", d.status.replace(/_/g, " ")],
        ["Reason given", d.reason],
        ["Note", d.resolutionNote],
        ["Credit", d.creditCents !== null ? formatCents(d.creditCents, facts.lead?.currency ?? "USD") : null],
        ["Lead", facts.lead?.name ?? facts.lead?.phone ?? d.leadId],
      ],
      { label: "Open the lead", url: urls.lead(d.leadId) },
      `A dispute for ${client} was decided.`,
    );
  }
  if (facts.type === "invoice.issued" && facts.invoice) {
    const i = facts.invoice;
    return compose(
      `Invoice INV-${String(i.number).padStart(4, "0")} issued: ${formatCents(i.totalCents, i.currency)} (${client})`,
      [
        ["Period", i.period],
        ["Subtotal", formatCents(i.subtotalCents, i.currency)],
        ["Credit applied", i.creditAppliedCents ? formatCents(i.creditAppliedCents, i.currency) : null],
        ["Total", formatCents(i.totalCents, i.currency)],
      ],
      { label: "Open the invoice", url: `${urls.console}/portal/invoices/${i.id}` },
      `An invoice for ${client} was issued.`,
    );
  }
  if (facts.type === ENDPOINT_DISABLED_EVENT) {
    const p = facts.payload as { url?: string; reason?: string; endpointId?: string };
    return compose(
      `Webhook endpoint disabled: ${p.url ?? ""} (${client})`,
      [
        ["Endpoint", p.url],
        ["Why", p.reason],
      ],
      { label: "Open the webhook settings", url: `${urls.console}/portal/webhooks` },
      `LeadLedger stopped delivering to a webhook endpoint of ${client}. Leads are kept; fix the receiver, enable the endpoint and replay the failed deliveries.`,
    );
  }
  return compose(`${facts.type} (${client})`, [["Event", facts.type]], null, `Event ${facts.type} for ${client}.`);
}
