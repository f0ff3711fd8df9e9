import { sql } from "drizzle-orm";
import { executePrepared, type DbOrTx } from "../client";
import type { GroupCommit } from "../group-commit";

export interface WebhookOnceResult {
  /** The answer of the first delivery that completed (the same for every repeat). */
  response: string;
  /** False when this delivery is a repeat of one already processed. */
  processed: boolean;
}

/**
 * Processes a Twilio webhook exactly once per (sid, type): the event row is inserted first, in the
 * same transaction as the work it triggers. A concurrent repeat waits on the unique key until the
 * first commits, then answers with the stored response; if the first rolled back, the repeat does
 * the work itself. So five deliveries at once change state once and all get the same answer.
 */
export async function handleWebhookOnce(
  commits: GroupCommit,
  event: { sid: string; type: string; payload: unknown },
  work: (tx: DbOrTx) => Promise<string>,
): Promise<WebhookOnceResult> {
  return commits.run(async (tx) => {
    const ins = await executePrepared(
      tx,
      sql`insert into webhook_events (sid, type, payload) values (${event.sid}, ${event.type}, ${JSON.stringify(event.payload)}::jsonb)
          on conflict (sid, type) do nothing returning id`,
    );
    if (ins.rows.length === 0) {
      const prev = await executePrepared(tx, sql`select response from webhook_events where sid = ${event.sid} and type = ${event.type}`);
      return { response: ((prev.rows[0] as { response: string | null } | undefined)?.response ?? "") as string, processed: false };
    }
    const id = (ins.rows[0] as { id: string }).id;
    const response = await work(tx);
    await executePrepared(tx, sql`update webhook_events set processed_at = now(), response = ${response} where id = ${id}`);
    return { response, processed: true };
  });
}
