/**
 * Exactly-once processing of a provider's webhook (Twilio voice and SMS): the event is stored in the
 * same transaction as its work, keyed by (sid, type); a repeat, also a concurrent one, gets the first
 * delivery's stored answer and changes nothing. `Tx` is what the work may touch inside that
 * transaction (server/db/repositories/webhook-events.ts implements it).
 */
export interface WebhookOnce<Tx, Type extends string = string> {
  once(event: { sid: string; type: Type; payload: unknown }, work: (tx: Tx) => Promise<string>): Promise<{ response: string; processed: boolean }>;
}

/** The answer of a webhook: the stored response, and the outcome when this delivery did the work. */
export interface WebhookAnswer<O> {
  response: string;
  /** False for a repeat delivery (the response is the first delivery's). */
  processed: boolean;
  /** Null for a repeat delivery. */
  outcome: O | null;
}
