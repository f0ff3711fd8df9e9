import { readFile, writeFile } from "node:fs/promises";
import type { ParseArgsConfig } from "node:util";
import { DomainError } from "../domain/errors";
import type { Deps } from "../deps";
import type { Actor } from "../domain/auth/roles";
import { formatCents } from "../domain/money-format";

export const CLI_ACTOR: Actor = { kind: "system", label: "cli" };

type Values = Record<string, string | boolean | string[] | undefined>;

export interface CliCommand {
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  run(deps: Deps, values: Values): Promise<{ human: string; json: unknown }>;
}

const s = (v: Values[string]): string | undefined => (typeof v === "string" ? v : undefined);

/** Reads and JSON-parses a contract file; a missing file or bad JSON is a clear VALIDATION_FAILED. */
async function readContractFile(file: string | undefined): Promise<unknown> {
  if (!file) throw new DomainError("VALIDATION_FAILED", "Give the contract document with --file contract.json.", { issues: [{ path: ["file"], message: "is required" }] });
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new DomainError("VALIDATION_FAILED", `Cannot read the contract file ${file}: ${why}.`, { issues: [{ path: ["file"], message: why }] });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DomainError("VALIDATION_FAILED", `The contract file ${file} is not valid JSON: ${(e as Error).message}`, { issues: [{ path: ["file"], message: "is not valid JSON" }] });
  }
}

export const commands: Record<string, CliCommand> = {
  "user:create": {
    usage: "user:create --email E --password P --role agency_admin|agency_staff|client_admin|client_member [--client ID] [--name N]",
    options: { email: { type: "string" }, password: { type: "string" }, role: { type: "string" }, client: { type: "string" }, name: { type: "string" } },
    async run(deps, v) {
      const user = await deps.users.create(CLI_ACTOR, {
        email: s(v.email) ?? "",
        password: s(v.password) ?? "",
        role: (s(v.role) ?? "") as "agency_admin",
        clientId: s(v.client) ?? null,
        name: s(v.name),
      });
      return { human: `created user ${user.email} (${user.role}) id=${user.id}`, json: user };
    },
  },
  "client:create": {
    usage: "client:create --name N [--timezone America/New_York] [--currency USD]",
    options: { name: { type: "string" }, timezone: { type: "string" }, currency: { type: "string" } },
    async run(deps, v) {
      const client = await deps.clients.create(CLI_ACTOR, { name: s(v.name) ?? "", timezone: s(v.timezone), currency: s(v.currency) });
      return { human: `created client "${client.name}" id=${client.id}`, json: client };
    },
  },
  "lead:explain": {
    usage: "lead:explain --lead ID",
    options: { lead: { type: "string" } },
    async run(deps, v) {
      const r = await deps.leads.explain(CLI_ACTOR, s(v.lead) ?? "");
      const line = (label: string, x: typeof r.stored) =>
        x ? `${label}: ${x.qualified ? "qualified" : "rejected"}${x.billable ? ", billable" : ""}${x.reasons.length ? ` — ${x.reasons.map((q) => q.message).join("; ")}` : ""}` : `${label}: none`;
      return {
        human: [line("stored  ", r.stored), line("replayed", r.replayed), r.agree ? "the replay agrees with the stored verdict" : "MISMATCH: the replay differs from the stored verdict"].join("\n"),
        json: r,
      };
    },
  },
  "client:list": {
    usage: "client:list",
    options: {},
    async run(deps) {
      const clients = await deps.clients.list(CLI_ACTOR);
      return { human: clients.map((c) => `${c.id}  ${c.name}  (${c.timezone}, ${c.status})`).join("\n") || "no clients", json: clients };
    },
  },
  "campaign:create": {
    usage: "campaign:create --client ID --name N [--channel C]",
    options: { client: { type: "string" }, name: { type: "string" }, channel: { type: "string" } },
    async run(deps, v) {
      const campaign = await deps.campaigns.create(CLI_ACTOR, { clientId: s(v.client) ?? "", name: s(v.name) ?? "", channel: s(v.channel) });
      return { human: `created campaign "${campaign.name}" id=${campaign.id}`, json: campaign };
    },
  },
  "form:create": {
    usage: "form:create --campaign ID [--origin URL]... [--thank-you URL] [--name N]",
    options: { campaign: { type: "string" }, origin: { type: "string", multiple: true }, "thank-you": { type: "string" }, name: { type: "string" } },
    async run(deps, v) {
      const origins = Array.isArray(v.origin) ? v.origin : [];
      const form = await deps.forms.create(CLI_ACTOR, { campaignId: s(v.campaign) ?? "", allowedOrigins: origins, thankYouUrl: s(v["thank-you"]) ?? null, name: s(v.name) });
      return {
        human: `created form "${form.name}" id=${form.id} publicKey=${form.publicKey}\n  posts to ${deps.config.publicUrl}/api/forms/${form.publicKey}`,
        json: form,
      };
    },
  },
  "apikey:create": {
    usage: "apikey:create --client ID [--name N] [--test]",
    options: { client: { type: "string" }, name: { type: "string" }, test: { type: "boolean" } },
    async run(deps, v) {
      const created = await deps.apiKeys.create(CLI_ACTOR, { clientId: s(v.client) ?? "", name: s(v.name), mode: v.test === true ? "test" : "live" });
      return {
        human: `created ${created.mode === "test" ? "test " : ""}API key "${created.name}" id=${created.id}\n  key: ${created.key}${created.mode === "test" ? "\n  (a test key: its leads are judged and answered, never billed, alerted or reported)" : ""}\n  (shown only this once: store it now; LeadLedger keeps only its hash)`,
        json: created,
      };
    },
  },
  "contract:publish": {
    usage: "contract:publish --client ID --file contract.json",
    options: { client: { type: "string" }, file: { type: "string" } },
    async run(deps, v) {
      const document = await readContractFile(s(v.file));
      const version = await deps.contracts.publish(CLI_ACTOR, { clientId: s(v.client) ?? "", document });
      return {
        human: [`published contract version ${version.version} id=${version.contractId} versionId=${version.id} effective from ${version.effectiveFrom.toISOString()}`, ...version.changes.map((c) => `  - ${c}`)].join("\n"),
        json: { id: version.contractId, versionId: version.id, version: version.version, effectiveFrom: version.effectiveFrom, changes: version.changes },
      };
    },
  },
  "number:add": {
    usage: "number:add --campaign ID --number E164 --forward-to E164 [--record] [--whisper TEXT] [--disclosure TEXT] [--screen] [--fallback E164] [--voicemail] [--text-back]",
    options: {
      campaign: { type: "string" },
      number: { type: "string" },
      "forward-to": { type: "string" },
      record: { type: "boolean" },
      whisper: { type: "string" },
      disclosure: { type: "string" },
      screen: { type: "boolean" },
      fallback: { type: "string" },
      voicemail: { type: "boolean" },
      "text-back": { type: "boolean" },
    },
    async run(deps, v) {
      const n = await deps.trackingNumbers.create(CLI_ACTOR, {
        campaignId: s(v.campaign) ?? "",
        phoneNumber: s(v.number) ?? "",
        forwardTo: s(v["forward-to"]) ?? "",
        record: v.record === true,
        whisperText: s(v.whisper) ?? null,
        disclosureText: s(v.disclosure) ?? null,
        screenCalls: v.screen === true,
        fallbackNumber: s(v.fallback) ?? null,
        voicemail: v.voicemail === true,
        textBack: v["text-back"] === true,
      });
      return {
        human: [
          `added tracking number ${n.phoneNumber} → ${n.forwardTo} (campaign "${n.campaignName}", recording ${n.record ? "on" : "off"}) id=${n.id}`,
          n.warning ? `  warning: ${n.warning}` : `  Twilio voice URL set to ${deps.config.publicUrl}/twilio/voice`,
        ].join("\n"),
        json: n,
      };
    },
  },
  "pool:create": {
    usage: "pool:create --campaign ID --default-number E164 --number E164... [--name N] [--minutes 20]",
    options: { campaign: { type: "string" }, "default-number": { type: "string" }, number: { type: "string", multiple: true }, name: { type: "string" }, minutes: { type: "string" } },
    async run(deps, v) {
      const wanted = Array.isArray(v.number) ? v.number : [];
      const campaignId = s(v.campaign) ?? "";
      const own = campaignId ? await deps.trackingNumbers.list(CLI_ACTOR, { campaignId }).catch(() => []) : [];
      const ids = wanted.map((n) => own.find((t) => t.phoneNumber === n.replace(/[\s().-]/g, ""))?.id ?? n);
      const pool = await deps.attribution.createPool(CLI_ACTOR, {
        campaignId,
        name: s(v.name) ?? "Landing pages",
        defaultNumber: s(v["default-number"]) ?? "",
        trackingNumberIds: ids,
        reservationMinutes: v.minutes ? Number(s(v.minutes)) : undefined,
      });
      return {
        human: `created number pool "${pool.name}" with ${pool.numbers.length} numbers, default ${pool.defaultNumber}; put data-pool="${pool.poolKey}" on the snippet's script tag id=${pool.id}`,
        json: pool,
      };
    },
  },
  "conversions:export": {
    usage: "conversions:export --client ID --from YYYY-MM-DD --to YYYY-MM-DD --platform google|microsoft|csv [--again] [--out FILE]",
    options: { client: { type: "string" }, from: { type: "string" }, to: { type: "string" }, platform: { type: "string" }, again: { type: "boolean" }, out: { type: "string" } },
    async run(deps, v) {
      const file = await deps.attribution.exportConversions(CLI_ACTOR, {
        clientId: s(v.client) ?? "",
        from: s(v.from) ?? "",
        to: s(v.to) ?? "",
        platform: (s(v.platform) ?? "") as "google",
        again: v.again === true,
      });
      const out = s(v.out) ?? file.filename;
      await writeFile(out, file.body);
      const again = file.reexported > 0 ? ` — ${file.reexported} of them were exported before (asked again with --again)` : "";
      return { human: `wrote ${file.count} conversion${file.count === 1 ? "" : "s"} to ${out}${again}`, json: { ...file, out } };
    },
  },
  "period:close": {
    // A manual close leaves a draft to review (issue it in the console); --issue issues it at once. --draft is the default, kept for old scripts.
    usage: "period:close --client ID [--period YYYY-MM] [--issue]",
    options: { client: { type: "string" }, period: { type: "string" }, issue: { type: "boolean" }, draft: { type: "boolean" } },
    async run(deps, v) {
      const { invoice, created } = await deps.billing.closePeriod(CLI_ACTOR, { clientId: s(v.client) ?? "", period: s(v.period), draft: v.issue !== true });
      const total = formatCents(invoice.totalCents, invoice.currency);
      return {
        human: `${created ? "closed" : "already closed"} ${invoice.period}: invoice ${invoice.displayNumber} (${invoice.status}) total ${total} id=${invoice.id}`,
        json: { id: invoice.id, number: invoice.number, totalCents: invoice.totalCents, displayNumber: invoice.displayNumber, period: invoice.period, status: invoice.status, created },
      };
    },
  },
  "recipient:add": {
    usage: "recipient:add --client ID --name N --phone PHONE [--off]",
    options: { client: { type: "string" }, name: { type: "string" }, phone: { type: "string" }, off: { type: "boolean" } },
    async run(deps, v) {
      const r = await deps.alertRecipients.create(CLI_ACTOR, { clientId: s(v.client), name: s(v.name) ?? "", phone: s(v.phone) ?? "", active: v.off !== true });
      return { human: `added alert recipient ${r.name} ${r.phone}${r.active ? "" : " (switched off)"} id=${r.id}`, json: r };
    },
  },
  "webhook:add": {
    usage: "webhook:add --client ID --url URL [--event E]... [--description D]",
    options: { client: { type: "string" }, url: { type: "string" }, event: { type: "string", multiple: true }, description: { type: "string" } },
    async run(deps, v) {
      const events = Array.isArray(v.event) && v.event.length ? v.event : undefined;
      const r = await deps.webhooks.create(CLI_ACTOR, { clientId: s(v.client), url: s(v.url) ?? "", events: events as never, description: s(v.description) });
      return {
        human: `added webhook endpoint id=${r.endpoint.id} ${r.endpoint.url}\n  events: ${r.endpoint.events.join(", ")}\n  signing secret: ${r.secret}\n  (shown only this once: store it in the receiver now)`,
        json: { ...r.endpoint, secret: r.secret },
      };
    },
  },
  "webhook:replay": {
    usage: "webhook:replay --delivery ID",
    options: { delivery: { type: "string" } },
    async run(deps, v) {
      const id = s(v.delivery) ?? "";
      const queued = await deps.webhooks.replay(CLI_ACTOR, id);
      // Try it now from here too; a running server that heard the replay may win the claim instead.
      const outcome = queued.deliveryIds.length ? await deps.webhooks.deliver(id) : { kind: "nothing" as const, reason: "busy" as const };
      const d = await deps.webhooks.delivery(CLI_ACTOR, id);
      const said =
        outcome.kind === "delivered"
          ? `delivered (HTTP ${outcome.status}, ${outcome.durationMs} ms)`
          : outcome.kind === "retry"
            ? `failed: ${outcome.error}; next attempt ${outcome.retryAt.toISOString()}`
            : outcome.kind === "failed"
              ? `failed: ${outcome.error}`
              : `queued again (${outcome.reason === "busy" ? "an attempt is running now" : outcome.reason})`;
      return { human: `replayed delivery ${id} (${d.eventType} to ${d.endpointUrl}, webhook-id ${d.messageId}): ${said}`, json: { outcome, delivery: { id: d.id, status: d.status, attempts: d.attempts, messageId: d.messageId } } };
    },
  },
};
