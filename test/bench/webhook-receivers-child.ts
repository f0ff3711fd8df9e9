/**
 * The webhooks bench's receivers (the clients' CRMs), in their own process so their work does not
 * land on the server's event loop: healthy (200 at once), slow (200 after 2 s) and failing (503 half
 * the time). Sends their URLs when listening; on "report" sends every arrival (epoch milliseconds,
 * comparable with the bench process's clock) and exits.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Arrival {
  id: string;
  leadId: string | null;
  at: number;
  status: number;
}
export type ReceiverName = "healthy" | "slow" | "failing";
export const SLOW_MS = 2_000;

function receiver(answer: () => { status: number; delayMs: number }) {
  const arrivals: Arrival[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.timeOrigin + performance.now();
      let leadId: string | null = null;
      try {
        leadId = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data?: { lead?: { id?: string } } }).data?.lead?.id ?? null;
      } catch {
        /* not JSON */
      }
      const a = answer();
      arrivals.push({ id: String(req.headers["webhook-id"]), leadId, at, status: a.status });
      setTimeout(() => {
        res.writeHead(a.status);
        res.end();
      }, a.delayMs);
    });
  });
  server.keepAliveTimeout = 30_000;
  return { arrivals, server };
}

async function main() {
  const all: Record<ReceiverName, ReturnType<typeof receiver>> = {
    healthy: receiver(() => ({ status: 200, delayMs: 0 })),
    slow: receiver(() => ({ status: 200, delayMs: SLOW_MS })),
    failing: receiver(() => ({ status: Math.random() < 0.5 ? 503 : 200, delayMs: 0 })),
  };
  const urls: Record<string, string> = {};
  for (const [name, r] of Object.entries(all)) {
    await new Promise<void>((ok) => r.server.listen(0, "127.0.0.1", () => ok()));
    urls[name] = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/hooks`;
  }
  process.on("message", (m) => {
    if (m !== "report") return;
    const report = Object.fromEntries(Object.entries(all).map(([name, r]) => [name, r.arrivals]));
    process.send!({ report }, () => process.exit(0));
  });
  process.send!({ urls });
}

if (require.main === module)
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
