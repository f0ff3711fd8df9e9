import type { ParseArgsConfig } from "node:util";
import type { Deps } from "../deps";
import type { Actor } from "../domain/auth/roles";

export const CLI_ACTOR: Actor = { kind: "system", label: "cli" };

type Values = Record<string, string | boolean | string[] | undefined>;

export interface CliCommand {
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  run(deps: Deps, values: Values): Promise<{ human: string; json: unknown }>;
}

const s = (v: Values[string]): string | undefined => (typeof v === "string" ? v : undefined);

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
};
