import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
  /** Checked with the reference implementation (standardwebhooks) against the receiver's secret, if set. */
  verified: boolean | null;
  answered: number;
}

/**
 * A real local HTTP receiver for webhook tests: records every request, verifies signatures with the
 * `standardwebhooks` package, and answers what the test tells it (a status, a delay, a Retry-After).
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let plan: { status: number; delayMs?: number; headers?: Record<string, string> }[] = [];
  let fallback = 200;
  let secret: string | null = null;
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const step = plan.shift() ?? { status: fallback };
      let verified: boolean | null = null;
      if (secret) {
        try {
          new Webhook(secret).verify(body, {
            "webhook-id": String(req.headers["webhook-id"]),
            "webhook-timestamp": String(req.headers["webhook-timestamp"]),
            "webhook-signature": String(req.headers["webhook-signature"]),
          });
          verified = true;
        } catch {
          verified = false;
        }
      }
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        /* recorded as is */
      }
      received.push({ headers: req.headers, body, json, verified, answered: step.status });
      for (const w of waiters.filter((x) => received.length >= x.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const answer = () => {
        res.writeHead(step.status, { "content-type": "text/plain", ...(step.headers ?? {}) });
        res.end(step.status >= 200 && step.status < 300 ? "ok" : `answer ${step.status}`);
      };
      if (step.delayMs) setTimeout(answer, step.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    /** The next answers, in order; afterwards `fallback` (default 200). */
    answer(...steps: (number | { status: number; delayMs?: number; headers?: Record<string, string> })[]) {
      plan = steps.map((s) => (typeof s === "number" ? { status: s } : s));
    },
    setFallback(status: number) {
      fallback = status;
    },
    verifyWith(s: string | null) {
      secret = s;
    },
    reset() {
      received.length = 0;
      plan = [];
      fallback = 200;
    },
    /** Resolves once `n` requests have arrived in all. */
    waitFor(n: number) {
      return received.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
