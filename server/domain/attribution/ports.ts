import type { SummaryFigures } from "../reports/ports";
import type { Touch } from "./attribution";
import type { Conversion, ConversionPlatform } from "./conversion-files";

/** What a visitor session told the DNI endpoint about itself; kept on the number it holds. */
export interface SessionAttribution {
  sessionId: string;
  first: Touch | null;
  last: Touch | null;
}

export type Reservation =
  | { kind: "reserved"; phoneNumber: string; reservedUntil: Date; extended: boolean }
  | { kind: "overflow"; phoneNumber: string };

export interface DniPool {
  id: string;
  clientId: string;
  clientName: string;
  campaignId: string;
  campaignName: string;
  name: string;
  poolKey: string;
  defaultNumber: string;
  reservationSeconds: number;
  overflowCount: number;
  lastOverflowAt: Date | null;
  numbers: { trackingNumberId: string; phoneNumber: string; reservedUntil: Date | null; lastUsedAt: Date | null }[];
  createdAt: Date;
}

export interface DniStore {
  /**
   * Gives `session` a number of the pool: the one it holds (its reservation extended), else the
   * least recently used free one, else the pool's default number with the overflow counted.
   * Null when no pool has this key. Race-free: a number is never held by two sessions at once.
   */
  reserve(poolKey: string, session: SessionAttribution, now: Date): Promise<Reservation | null>;
  listPools(clientId: string | null): Promise<DniPool[]>;
  /** Null when a number is not an active tracking number of the pool's campaign's client or is in another pool. */
  createPool(p: { clientId: string; campaignId: string; name: string; poolKey: string; defaultNumber: string; reservationSeconds: number; trackingNumberIds: string[] }): Promise<DniPool | null>;
}

/** A call's match to a pool reservation at ring time (CallTx.callAttribution). */
export type CallSessionMatch =
  | { kind: "session"; session: SessionAttribution }
  | { kind: "expired" }
  | null;

export interface ConversionStore {
  /**
   * Won leads of the client whose outcome falls in [start, end): every one for `csv`, those with
   * the platform's click id otherwise; already exported ones only when `again`. Each returned one
   * is recorded as exported to the platform (a re-export counts up), in the same transaction.
   */
  exportWon(q: { clientId: string; platform: ConversionPlatform; start: Date; end: Date; again: boolean; actor: string; now: Date }): Promise<Conversion[]>;
  clientFileSettings(clientId: string): Promise<{ name: string; timezone: string; currency: string; googleConversionName: string; microsoftConversionName: string; cookieDays: number } | null>;
  saveSettings(clientId: string, s: { googleConversionName?: string; microsoftConversionName?: string; cookieDays?: number }): Promise<void>;
}

/** One grouped value's figures (the same figures as a summary report row). */
export interface AttributionReportRow
  extends Pick<SummaryFigures, "clientId" | "clientName" | "currency" | "leads" | "qualified" | "billableLeads" | "won" | "revenueCents" | "billedCents" | "leadChargesCents"> {
  /** The grouped value (null: not known, e.g. leads without that parameter). */
  value: string | null;
}

export const REPORT_DIMENSIONS = ["source", "medium", "campaign", "keyword", "content"] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

export interface AttributionReportRepository {
  rows(q: { from: string; to: string; clientId?: string; dimension: ReportDimension }): Promise<AttributionReportRow[]>;
}
