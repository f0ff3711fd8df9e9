import { sumCents } from "../money";
import { parseRetainerMemo, proratedRetainerDescription } from "./billable-periods";
import { formatCents } from "../money-format";
import { describeRetainers, type InvoiceLineDraft } from "./invoice";
import type { LedgerEntry } from "./ledger";

/**
 * Splits invoice lines from `buildInvoice` so a person can check them by multiplication, without
 * changing a cent (the sum of the lines stays the subtotal; every entry stays on exactly one line):
 *
 * - "Qualified leads" lines with mixed prices split by unit price, in order of first appearance:
 *   tiers 100 × $75 then $60 read "Qualified leads — Roof repair, $75.00 each" × 100 and
 *   "…, $60.00 each" × 20 instead of one line of 120 leads without a unit price;
 * - a retainer line with a prorated month splits it onto a line of its own that shows the ratio
 *   ("Retainer Dec 6–31, 26/31 of $500.00"), read from the entry's memo;
 * - "Adjustments" lines split by origin: reversals (`reversal:<key>`), re-billed entries of a voided
 *   invoice (`adjustment:void-rebill-…`), the part of a reversal a dispute had already credited
 *   (`adjustment:credited-…`) and other adjustments.
 */
export function itemizeLines(lines: InvoiceLineDraft[], entries: Map<string, LedgerEntry>, currency = "USD"): InvoiceLineDraft[] {
  const out: InvoiceLineDraft[] = [];
  for (const line of lines) {
    const group = line.entryIds.map((id) => {
      const e = entries.get(id);
      if (!e) throw new Error(`itemizeLines: entry ${id} of a line is missing`);
      return e;
    });
    if (line.kind === "lead_charge" && line.unitAmountCents === null) {
      const byPrice = groupBy(group, (e) => String(e.amountCents));
      for (const part of byPrice) out.push(subLine(line, part, `${line.description}, ${formatCents(part[0]!.amountCents, currency)} each`));
    } else if (line.kind === "retainer" && group.some((e) => parseRetainerMemo(e.memo) !== null)) {
      // A prorated retainer gets a line of its own that shows its ratio; whole months stay together.
      const whole = group.filter((e) => parseRetainerMemo(e.memo) === null);
      if (whole.length > 0) out.push(subLine(line, whole, describeRetainers(whole)));
      for (const e of group) {
        const p = parseRetainerMemo(e.memo);
        if (p) out.push(subLine(line, [e], proratedRetainerDescription(p, currency)));
      }
    } else if (line.kind === "adjustment") {
      const byOrigin = groupBy(group, (e) => adjustmentOrigin(e.idempotencyKey));
      if (byOrigin.length === 1 && adjustmentOrigin(group[0]!.idempotencyKey) === "other") out.push(line);
      else for (const part of byOrigin) out.push(subLine(line, part, relabel(line.description, adjustmentOrigin(part[0]!.idempotencyKey))));
    } else {
      out.push(line);
    }
  }
  return out;
}

type Origin = "reversal" | "credited" | "rebill" | "other";

export function adjustmentOrigin(key: string): Origin {
  if (key.startsWith("reversal:")) return "reversal";
  if (key.startsWith("adjustment:void-rebill-")) return "rebill";
  if (key.startsWith("adjustment:credited-")) return "credited";
  return "other";
}

const ORIGIN_LABEL: Record<Origin, string> = {
  reversal: "Reversals",
  rebill: "Re-billed from a voided invoice",
  credited: "Reversed charges already credited by a dispute",
  other: "Adjustments",
};

function relabel(description: string, origin: Origin): string {
  return description.replace(/^Adjustments/, ORIGIN_LABEL[origin]);
}

function groupBy<T>(xs: T[], key: (x: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = groups.get(k);
    if (g) g.push(x);
    else groups.set(k, [x]);
  }
  return [...groups.values()];
}

function subLine(line: InvoiceLineDraft, part: LedgerEntry[], description: string): InvoiceLineDraft {
  const first = part[0]!;
  const leadIds = new Set(part.map((e) => e.leadId));
  return {
    ...line,
    description,
    leadId: leadIds.size === 1 ? first.leadId : null,
    quantity: part.length,
    unitAmountCents: part.every((e) => e.amountCents === first.amountCents) ? first.amountCents : null,
    amountCents: sumCents(part.map((e) => e.amountCents)),
    entryIds: part.map((e) => e.id),
  };
}
