/**
 * When a failed webhook or e-mail is tried again (docs/decisions/014-webhook-delivery.md): after
 * 5 s, 1 min, 5 min, 30 min, 2 h, 6 h, then 12 h four times — 11 attempts over about 2.4 days —
 * each ± 20 % jitter, and never sooner than the receiver's Retry-After.
 */
export interface DeliveryPolicy {
  /** Delay before retry n (index 0 = after the first attempt). Its length + 1 = attempts in all. */
  retryDelaysMs: readonly number[];
  jitter: number;
  /** One attempt's time limit (connect + answer). */
  timeoutMs: number;
  /** How long a claimed attempt may run before the sweep assumes a crash and tries again. */
  leaseMs: number;
  /** The endpoint is switched off after this many failed attempts in a row … */
  disableAfterFailures: number;
  /** … that span at least this long (a receiver down for a minute under load is not disabled). */
  disableAfterFailingForMs: number;
  /** Response bytes read and kept. */
  maxResponseBytes: number;
  /** A Retry-After beyond this is capped. */
  maxRetryAfterMs: number;
}

const S = 1_000;
const M = 60 * S;
const H = 60 * M;

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  retryDelaysMs: [5 * S, 1 * M, 5 * M, 30 * M, 2 * H, 6 * H, 12 * H, 12 * H, 12 * H, 12 * H],
  jitter: 0.2,
  timeoutMs: 15 * S,
  leaseMs: 2 * M,
  disableAfterFailures: 20,
  disableAfterFailingForMs: 24 * H,
  maxResponseBytes: 4_096,
  maxRetryAfterMs: 12 * H,
};

/** Delay before the next try after failed attempt `attempt` (1-based), or null when it was the last. */
export function retryDelayAfter(policy: DeliveryPolicy, attempt: number, random: () => number, retryAfterMs: number | null = null): number | null {
  const base = policy.retryDelaysMs[attempt - 1];
  if (base === undefined) return null;
  const jittered = Math.round(base * (1 + policy.jitter * (2 * random() - 1)));
  const floor = retryAfterMs !== null ? Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs) : 0;
  return Math.max(jittered, floor);
}

/** Retry-After as milliseconds (seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1_000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

export type AttemptVerdict =
  | { kind: "delivered" }
  /** 410 Gone: the receiver asks us to stop; the endpoint is switched off. */
  | { kind: "gone" }
  | { kind: "retry"; retryAfterMs: number | null };

/** Only a 2xx is success; 410 disables; every other status, a timeout or a network error retries. */
export function judgeAttempt(status: number | null, retryAfter: string | null, now: Date): AttemptVerdict {
  if (status !== null && status >= 200 && status < 300) return { kind: "delivered" };
  if (status === 410) return { kind: "gone" };
  return { kind: "retry", retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(retryAfter, now) : null };
}
