import type { Deps } from "../server/deps";
import type { JobQueue, JobSpec } from "./queue";

export const WEBHOOKS_DELIVER = "webhooks.deliver";
export const EMAILS_SEND = "emails.send";

export interface WebhooksDeliverData {
  deliveryId: string;
}
export interface EmailsSendData {
  emailId: string;
}

/**
 * One attempt of one webhook delivery (use case: server/domain/webhooks/deliver-webhook.ts). At-least-
 * once safe: the use case claims the row, so a repeated or concurrent run does nothing; a failed
 * attempt comes back as `retry` with its time and is scheduled here. Only unexpected errors (the
 * database went away) throw and use Agenda's backoff; the outbox sweep re-queues anything left behind.
 */
export const webhooksDeliverJob: JobSpec<WebhooksDeliverData> = {
  name: WEBHOOKS_DELIVER,
  concurrency: 20,
  // Longer than one attempt (15 s) can take; a second run meanwhile finds the delivery claimed.
  lockLifetimeMs: 2 * 60_000,
  retries: 3,
  async handler(deps, data) {
    const deliveryId = typeof data?.deliveryId === "string" ? data.deliveryId : null;
    if (!deliveryId) return deps.logger.warn({ data }, "webhooks.deliver without a deliveryId; ignored");
    const outcome = await deps.webhooks.deliver(deliveryId);
    if (outcome.kind === "retry") {
      // The delivery row is the schedule: a runner's due pass picks it up at `retryAt`.
      deps.logger.info({ deliveryId, attempt: outcome.attempt, retryAt: outcome.retryAt, error: outcome.error }, "webhook attempt failed, retry due");
    } else if (outcome.kind === "failed") {
      deps.logger.warn({ deliveryId, attempt: outcome.attempt, error: outcome.error, endpointDisabled: outcome.endpointDisabled }, "webhook delivery failed");
    }
  },
};

/** One attempt at one notification e-mail (server/domain/notifications/email-notifications.ts), same rules. */
export const emailsSendJob: JobSpec<EmailsSendData> = {
  name: EMAILS_SEND,
  concurrency: 5,
  lockLifetimeMs: 2 * 60_000,
  retries: 3,
  async handler(deps, data) {
    const emailId = typeof data?.emailId === "string" ? data.emailId : null;
    if (!emailId) return deps.logger.warn({ data }, "emails.send without an emailId; ignored");
    const outcome = await deps.emails.send(emailId);
    if (outcome.kind === "retry") {
      deps.logger.info({ emailId, attempt: outcome.attempt, retryAt: outcome.retryAt, error: outcome.error }, "e-mail failed, retry due");
    } else if (outcome.kind === "failed") {
      deps.logger.warn({ emailId, attempt: outcome.attempt, error: outcome.error }, "e-mail failed");
    }
  },
};

/** What the outbox listener hands over: a committed event's deliveries, one delivery to try now, and a tick to look for due ones. */
export interface DeliveryRunner {
  event(eventId: number): void;
  delivery(kind: "w" | "e", id: string): void;
  /**
   * Picks up what is due from the rows (retries whose time has come, first attempts a notification
   * missed, attempts whose lease ran out) and queues what is not queued here already. The listener
   * calls it every second; overlapping calls share one pass.
   */
  due(): Promise<void>;
  /** Resolves when nothing is running or waiting (shutdown, tests, benches). */
  idle(): Promise<void>;
}

/**
 * Every attempt of webhooks and e-mails, in this process (decision 019): first attempts straight from
 * the outbox notification (like the first SMS attempt, decision 005), retries from the rows when the
 * listener's due tick finds them due — the delivery row is the retry schedule, no job per retry. At
 * most `perTarget` at once per endpoint, so one slow receiver never holds up another, at most `total`
 * in all, and at most `maxWaiting` waiting per endpoint — beyond that nothing is queued here and the
 * row waits for a later tick. Several processes may run one: the claim lets one attempt through. An
 * unexpected error (the database went away) hands the attempt to the job queue.
 * Nothing here touches intake or SMS: they never wait for a receiver.
 */
// eslint-disable-next-line max-lines-per-function -- the per-endpoint queues and timers share one state; each inner function is short
export function deliveriesInProcess(deps: Deps, queue: Pick<JobQueue, "now">, opts: { perTarget?: number; total?: number; maxWaiting?: number } = {}): DeliveryRunner {
  const perTarget = opts.perTarget ?? 16;
  const total = opts.total ?? 64;
  const maxWaiting = opts.maxWaiting ?? 500;
  type Task = { kind: "w" | "e"; id: string; target: string };
  const waiting = new Map<string, Task[]>();
  const running = new Map<string, number>();
  /** `w:<id>` / `e:<id>` of everything waiting or running here, so a due pass does not queue it twice. */
  const here = new Set<string>();
  let active = 0;
  let lookups = 0;
  let duePass: Promise<void> | null = null;
  const idlers: (() => void)[] = [];
  const isIdle = () => active === 0 && lookups === 0 && duePass === null && [...waiting.values()].every((q) => q.length === 0);
  const settle = () => {
    if (isIdle()) for (const f of idlers.splice(0)) f();
  };
  const noJobs = { now: queue.now, schedule: async () => undefined, attempt: 1 };

  const run = async (t: Task) => {
    try {
      if (t.kind === "w") await webhooksDeliverJob.handler(deps, { deliveryId: t.id }, noJobs);
      else await emailsSendJob.handler(deps, { emailId: t.id }, noJobs);
    } catch (err) {
      deps.logger.warn({ err, id: t.id }, "delivery attempt failed unexpectedly; handing it to the job queue");
      const [name, data] = t.kind === "w" ? [WEBHOOKS_DELIVER, { deliveryId: t.id }] : [EMAILS_SEND, { emailId: t.id }];
      await queue.now(name, data).catch((e: unknown) => deps.logger.error({ err: e, id: t.id }, "could not enqueue; the next due pass will"));
    }
  };

  const pump = () => {
    for (const [target, q] of waiting) {
      while (q.length > 0 && active < total && (running.get(target) ?? 0) < perTarget) {
        const t = q.shift()!;
        active++;
        running.set(target, (running.get(target) ?? 0) + 1);
        void run(t).finally(() => {
          active--;
          here.delete(`${t.kind}:${t.id}`);
          running.set(target, (running.get(target) ?? 1) - 1);
          pump();
          settle();
        });
      }
      if (q.length === 0 && (running.get(target) ?? 0) === 0) {
        waiting.delete(target);
        running.delete(target);
      }
    }
  };

  const push = (t: Task) => {
    const key = `${t.kind}:${t.id}`;
    if (here.has(key)) return;
    const q = waiting.get(t.target) ?? [];
    if (q.length >= maxWaiting) return; // the row stays due; a later pass queues it
    here.add(key);
    q.push(t);
    waiting.set(t.target, q);
    pump();
  };

  const lookup = (what: string, ids: ReturnType<Deps["webhooks"]["due"]>) => {
    lookups++;
    return ids
      .then((p) => {
        for (const w of p.webhooks) push({ kind: "w", id: w.id, target: w.endpointId });
        for (const id of p.emails) push({ kind: "e", id, target: "smtp" });
      })
      .catch((err: unknown) => deps.logger.error({ err }, `could not read ${what}; the next due pass will`))
      .finally(() => {
        lookups--;
        settle();
      });
  };

  return {
    event(eventId) {
      void lookup(`event ${eventId}'s deliveries`, deps.webhooks.firstAttemptsOf(eventId));
    },
    delivery(kind, id) {
      push({ kind, id, target: kind === "w" ? `delivery:${id}` : "smtp" });
    },
    due() {
      // Enough per endpoint to keep its slots busy until the next tick, never more than may wait.
      duePass ??= lookup("due deliveries", deps.webhooks.due({ perEndpoint: Math.min(perTarget * 2, maxWaiting), emails: 50 })).finally(() => {
        duePass = null;
        settle();
      });
      return duePass;
    },
    idle: () => (isIdle() ? Promise.resolve() : new Promise<void>((resolve) => idlers.push(resolve))),
  };
}
