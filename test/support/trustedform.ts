import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for TrustedForm's claim endpoint (POST /{certId} with HTTP Basic API:<key>):
 * known certificates answer 200 with a `cert` object like TrustedForm's, others 404, a wrong key 401.
 */
export interface FakeTrustedForm {
  url: string;
  claims: string[];
  addCertificate(certId: string, cert: { created_at: string; ip: string; page_url: string; expires_at?: string }): void;
  stop(): Promise<void>;
}

export async function startFakeTrustedForm(apiKey: string): Promise<FakeTrustedForm> {
  const certs = new Map<string, Record<string, unknown>>();
  const claims: string[] = [];
  const server = http.createServer((req, res) => {
    const id = (req.url ?? "/").slice(1);
    const expected = `Basic ${Buffer.from(`API:${apiKey}`).toString("base64")}`;
    const answer = (status: number, body: unknown) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    req.resume();
    if (req.method !== "POST") return answer(405, { message: "Method not allowed" });
    if (req.headers.authorization !== expected) return answer(401, { message: "Unauthorized" });
    claims.push(id);
    const cert = certs.get(id);
    if (!cert) return answer(404, { message: "Certificate not found" });
    answer(200, { cert, expires_at: cert.expires_at ?? null, outcome: "success" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    claims,
    addCertificate: (id, cert) => void certs.set(id, cert),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
