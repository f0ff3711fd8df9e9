import { z } from "zod";
import type { Actor } from "../auth/roles";
import { requiredClientScope } from "../auth/scope";
import type { LedgerBalance } from "../billing/ledger-queries";
import { DomainError } from "../errors";
import { divRoundHalfUp } from "../money";
import { parseInput } from "../shared/parse";
import { rateBps } from "./pacing";
import type { ClientOverviewFigures, LeadsPerDayRow, ReportsDeps } from "./ports";

export const clientOverviewInput = z
  .object({
    /** Agency staff name the client; client users always get their own. */
    clientId: z.uuid().optional(),
    /** Days in the chart (default 30). */
    days: z.number().int().min(7).max(90).default(30),
  })
  .optional();
export type ClientOverviewInput = z.input<typeof clientOverviewInput>;

export interface ClientOverview extends ClientOverviewFigures {
  at: Date;
  /** Spend ÷ qualified leads this month; null with none. */
  costPerQualifiedCents: number | null;
  /** Spend ÷ won deals this month; null with none. */
  costPerWonCents: number | null;
  /** Won deal values ÷ spend in basis points (30 000 = 3× what the leads cost); null without spend. */
  returnBps: number | null;
  /** What the next invoice would come to now: uninvoiced entries + retainers not yet written − credit carried. */
  nextInvoice: Pick<LedgerBalance, "uninvoicedCents" | "pendingRetainerCents" | "creditBalanceCents" | "netCents">;
  /** Leads per local day, oldest first. */
  days: LeadsPerDayRow[];
}

export interface ClientOverviewDeps extends ReportsDeps {
  /** The billing use case's balance for the client (the same figure the invoices page shows). */
  balance(clientId: string): Promise<LedgerBalance>;
}

/**
 * `reports.overview`: a business owner's first screen — this month and today, spend and what it
 * bought, what waits on them (outcomes, disputes by deadline), what is due and what the next invoice
 * will ask for, and the last 30 days as a chart. Money in cents; every ratio rounds with the one rule.
 */
export async function clientOverview(deps: ClientOverviewDeps, actor: Actor, raw: ClientOverviewInput): Promise<ClientOverview> {
  const input = parseInput(clientOverviewInput, raw) ?? { days: 30 };
  const clientId = requiredClientScope(actor, input.clientId);
  const at = deps.clock.now();
  const [figures, days, balance] = await Promise.all([
    deps.repo.clientOverview({ clientId, at }),
    deps.repo.leadsPerDay({ at, days: input.days, clientId }),
    deps.balance(clientId),
  ]);
  if (!figures) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  const spend = figures.month.spendCents;
  return {
    ...figures,
    at,
    costPerQualifiedCents: figures.month.qualified > 0 ? divRoundHalfUp(spend, figures.month.qualified) : null,
    costPerWonCents: figures.month.won > 0 ? divRoundHalfUp(spend, figures.month.won) : null,
    returnBps: spend > 0 ? rateBps(figures.month.wonValueCents, spend) : null,
    nextInvoice: {
      uninvoicedCents: balance.uninvoicedCents,
      pendingRetainerCents: balance.pendingRetainerCents,
      creditBalanceCents: balance.creditBalanceCents,
      netCents: balance.netCents,
    },
    days,
  };
}
