import { DateTime } from "luxon";
import { z } from "zod";

/**
 * When an invoice is due and whether it is late. Terms are whole days from the day the invoice was
 * issued, in the client's calendar ("net 15": issued Dec 1 → due Dec 16). An issued invoice is
 * overdue from the day after its due date until it is paid; paid and void invoices never are.
 */

export const DEFAULT_PAYMENT_TERMS_DAYS = 15;
export const paymentTermsDays = z.number().int().min(0, "must be 0 (due on receipt) or more days").max(120, "must be at most 120 days");

/** 'YYYY-MM-DD': the issue day in the client's time zone plus the terms. */
export function dueDateOf(issuedAt: Date, timezone: string, termsDays: number): string {
  return DateTime.fromJSDate(issuedAt, { zone: timezone }).startOf("day").plus({ days: termsDays }).toISODate()!;
}

/** The client's calendar day of `at`, 'YYYY-MM-DD'. */
export function localDateOf(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toISODate()!;
}

export interface PaymentState {
  dueDate: string | null;
  /** Days past the due date (0 when not overdue). */
  daysOverdue: number;
  overdue: boolean;
}

export function paymentState(invoice: { status: string; dueDate: string | null }, now: Date, timezone: string): PaymentState {
  if (invoice.status !== "issued" || !invoice.dueDate) return { dueDate: invoice.dueDate, daysOverdue: 0, overdue: false };
  const today = DateTime.fromISO(localDateOf(now, timezone), { zone: "UTC" });
  const due = DateTime.fromISO(invoice.dueDate, { zone: "UTC" });
  const days = Math.round(today.diff(due, "days").days);
  return { dueDate: invoice.dueDate, daysOverdue: Math.max(0, days), overdue: days > 0 };
}

/** "Net 15", or "Due on receipt" for 0 days. */
export function describeTerms(days: number): string {
  return days === 0 ? "Due on receipt" : `Net ${days}`;
}

/** What an invoice takes from its client when it is issued: the terms, the due date and the bill-to details as they stand then. */
export function issueFields(
  client: { name: string; timezone: string; legalName: string | null; billingAddress: string | null; taxId: string | null; paymentTermsDays: number },
  issuedAt: Date,
): { paymentTermsDays: number; dueDate: string; billTo: { name: string; legalName: string | null; address: string | null; taxId: string | null } } {
  return {
    paymentTermsDays: client.paymentTermsDays,
    dueDate: dueDateOf(issuedAt, client.timezone, client.paymentTermsDays),
    billTo: { name: client.name, legalName: client.legalName, address: client.billingAddress, taxId: client.taxId },
  };
}
