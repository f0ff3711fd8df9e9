import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { forbiddenAddressReason } from "../../domain/webhooks/addresses";
import type { HttpAttempt, HttpAttemptResult, WebhookHttpSender } from "../../domain/webhooks/ports";

type LookupFn = (hostname: string, options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

export interface HttpSenderOptions {
  /** Refuse loopback, private, link-local and metadata addresses (production). */
  blockPrivateAddresses: boolean;
  /** Name resolution (default: the system's); tests pass their own to point a name at 127.0.0.1. */
  lookup?: LookupFn;
}

class RefusedAddress extends Error {}

/**
 * Posts webhook attempts with node's http(s) client: keep-alive agents, no redirects followed (a 3xx
 * is just a failed attempt), the whole attempt limited to `timeoutMs`, at most `maxResponseBytes` of
 * the answer read. With `blockPrivateAddresses` every address a name resolves to is checked at
 * connect time (the agent's `lookup`), so a DNS answer that changes after the URL was saved cannot
 * reach an internal service; a literal address is checked before connecting.
 */
// eslint-disable-next-line max-lines-per-function -- the agent, name lookup and time limits share one closure
export function httpWebhookSender(opts: HttpSenderOptions): WebhookHttpSender & { close(): void } {
  const resolve: LookupFn = opts.lookup ?? ((h, o, cb) => dns.lookup(h, o, cb));
  const guardedLookup = (hostname: string, options: unknown, callback: (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    const o = (typeof options === "object" && options ? options : {}) as { all?: boolean; family?: number };
    resolve(hostname, { all: true, family: o.family as 0 | 4 | 6 | undefined }, (err, addresses) => {
      if (err) return callback(err, o.all ? [] : "", 4);
      if (!addresses.length) return callback(new Error(`${hostname} did not resolve`), o.all ? [] : "", 4);
      if (opts.blockPrivateAddresses) {
        for (const a of addresses) {
          const why = forbiddenAddressReason(a.address);
          if (why) return callback(new RefusedAddress(`refused: ${hostname} resolves to ${a.address} (${why})`), o.all ? [] : "", 4);
        }
      }
      if (o.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64, lookup: guardedLookup as never }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64, lookup: guardedLookup as never }),
  };

  return {
    post(req: HttpAttempt): Promise<HttpAttemptResult> {
      const started = performance.now();
      const took = () => Math.round(performance.now() - started);
      return new Promise<HttpAttemptResult>((done) => {
        let settled = false;
        const finish = (r: Omit<HttpAttemptResult, "durationMs">) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          done({ ...r, durationMs: took() });
        };
        let url: URL;
        try {
          url = new URL(req.url);
        } catch {
          return finish({ status: null, retryAfter: null, body: null, error: "invalid URL" });
        }
        const host = url.hostname.replace(/^\[|\]$/g, "");
        if (opts.blockPrivateAddresses && net.isIP(host)) {
          const why = forbiddenAddressReason(host);
          if (why) return finish({ status: null, retryAfter: null, body: null, error: `refused: ${host} is a ${why} address` });
        }
        const isHttps = url.protocol === "https:";
        const r = (isHttps ? https : http).request(
          url,
          { method: "POST", headers: { ...req.headers, "content-length": Buffer.byteLength(req.body) }, agent: isHttps ? agents.https : agents.http },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            const complete = () =>
              finish({
                status: res.statusCode ?? null,
                retryAfter: (res.headers["retry-after"] as string | undefined) ?? null,
                body: Buffer.concat(chunks).toString("utf8").slice(0, req.maxResponseBytes),
                error: null,
              });
            res.on("data", (c: Buffer) => {
              if (size >= req.maxResponseBytes) return;
              chunks.push(c);
              size += c.length;
              if (size >= req.maxResponseBytes) {
                complete();
                res.destroy();
              }
            });
            res.on("end", complete);
            res.on("error", complete);
            res.on("close", complete);
          },
        );
        const timer = setTimeout(() => {
          finish({ status: null, retryAfter: null, body: null, error: `timed out after ${req.timeoutMs} ms` });
          r.destroy();
        }, req.timeoutMs);
        r.on("error", (e) => finish({ status: null, retryAfter: null, body: null, error: e instanceof RefusedAddress ? e.message : `network error: ${(e as NodeJS.ErrnoException).code ?? e.message}` }));
        r.end(req.body);
      });
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
