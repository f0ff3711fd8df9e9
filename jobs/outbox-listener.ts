import pg from "pg";
import type { Deps } from "../server/deps";
import { dispatchOutboxEvent, sweepOutbox, type SweepOptions, type SweepResult } from "./outbox-dispatch";
import type { Enqueuer } from "./queue";
import type { DeliveryRunner } from "./webhooks-deliver";

export const OUTBOX_CHANNEL = "leadledger_outbox";

export interface OutboxListenerOptions extends SweepOptions {
  enqueue: Enqueuer;
  /** How often the sweep runs (default 5 s). */
  sweepEveryMs?: number;
  /** Events dispatched at the same time (default 4). */
  concurrency?: number;
  /**
   * Webhook and e-mail attempts in this process (jobs/webhooks-deliver.ts): first attempts on each
   * notification, and a due pass every `dueEveryMs` for retries. Without it the sweep hands late ones
   * to the job queue.
   */
  deliveries?: DeliveryRunner;
  /** How often the runner looks for due deliveries (default 1 s). */
  dueEveryMs?: number;
}

export interface OutboxListener {
  /** Runs one sweep now (also used at start and after a reconnect). */
  sweep(): Promise<SweepResult>;
  /** Stops listening and sweeping; waits for dispatches in flight. */
  stop(): Promise<void>;
}

/**
 * The alert dispatcher's wake-up: a dedicated connection LISTENs on 'leadledger_outbox' (intake
 * NOTIFYs the event id in the transaction that commits the lead), so an alert is created within
 * milliseconds of the commit; a sweep every few seconds catches whatever a notification missed.
 * Several processes may run it: events are claimed with FOR UPDATE SKIP LOCKED.
 */
// eslint-disable-next-line max-lines-per-function -- the connection, reconnect and sweep share one state; each inner function is short
export async function startOutboxListener(deps: Deps, opts: OutboxListenerOptions): Promise<OutboxListener> {
  const concurrency = opts.concurrency ?? 4;
  const sweepEveryMs = opts.sweepEveryMs ?? 5_000;
  const queue: number[] = [];
  const queued = new Set<number>();
  const inFlight = new Set<Promise<unknown>>();
  let active = 0;
  let stopping = false;
  let client: pg.Client | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let reconnectDelayMs = 500;
  let sweeping: Promise<SweepResult> | null = null;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  const pump = () => {
    while (!stopping && active < concurrency && queue.length > 0) {
      const id = queue.shift()!;
      active++;
      void track(
        dispatchOutboxEvent(deps, id, opts.enqueue, (enqueues) => void track(enqueues)).finally(() => {
          active--;
          queued.delete(id);
          pump();
        }),
      );
    }
  };

  const onNotification = (msg: pg.Notification) => {
    if (msg.channel !== OUTBOX_CHANNEL) return;
    // `w:<id>` / `e:<id>`: one webhook delivery or e-mail to try now (a replay, a test event).
    const single = /^([we]):([0-9a-f-]{36})$/.exec(msg.payload ?? "");
    if (single) return opts.deliveries?.delivery(single[1] as "w" | "e", single[2]!);
    const id = Number(msg.payload);
    if (Number.isSafeInteger(id) && id > 0) opts.deliveries?.event(id);
    if (!Number.isSafeInteger(id) || id <= 0 || queued.has(id)) return;
    queued.add(id);
    queue.push(id);
    pump();
  };

  const sweep = (): Promise<SweepResult> => {
    if (sweeping) return sweeping;
    sweeping = track(
      sweepOutbox(deps, opts.enqueue, { ...opts, deliveriesHere: opts.deliveries !== undefined }).finally(() => {
        sweeping = null;
      }),
    );
    return sweeping;
  };
  const sweepQuietly = () => {
    if (stopping) return;
    sweep().catch((err: unknown) => deps.logger.error({ err }, "outbox sweep failed"));
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: deps.platform.databaseUrl });
    c.on("notification", onNotification);
    c.on("error", (err) => {
      deps.logger.warn({ err }, "outbox listener connection error; reconnecting");
      dropAndReconnect(c);
    });
    c.on("end", () => dropAndReconnect(c));
    await c.connect();
    await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
    client = c;
    reconnectDelayMs = 500;
  };

  const dropAndReconnect = (c: pg.Client) => {
    if (client !== c || stopping) return;
    client = null;
    c.removeAllListeners("notification");
    c.end().catch(() => undefined);
    const attempt = () => {
      reconnectTimer = null;
      if (stopping) return;
      connect().then(
        () => sweepQuietly(), // catch up on what was committed while we were not listening
        (err: unknown) => {
          deps.logger.warn({ err, retryInMs: reconnectDelayMs }, "outbox listener could not reconnect");
          reconnectDelayMs = Math.min(reconnectDelayMs * 2, 30_000);
          reconnectTimer = setTimeout(attempt, reconnectDelayMs);
        },
      );
    };
    reconnectTimer = setTimeout(attempt, reconnectDelayMs);
  };

  const dueQuietly = () => {
    if (stopping || !opts.deliveries) return;
    void track(opts.deliveries.due());
  };

  await connect();
  const timer = setInterval(sweepQuietly, sweepEveryMs);
  timer.unref();
  const dueTimer = opts.deliveries ? setInterval(dueQuietly, opts.dueEveryMs ?? 1_000) : null;
  dueTimer?.unref();
  sweepQuietly();
  dueQuietly();

  return {
    sweep,
    async stop() {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      if (dueTimer) clearInterval(dueTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners();
        c.on("error", () => undefined);
        await c.end().catch(() => undefined);
      }
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
