import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import supertest from "supertest";
import { createTestContext, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { count, DISPUTE_CONTRACT, setupIntakeClient, submitTestLead } from "../support/fixtures";

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
const pdf = (size: number) => Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(size - 9, 0x20)]);
const MB = 1024 * 1024;

/** Collects any response body as a Buffer (superagent only buffers some types by itself). */
function binary(res: unknown, done: (err: Error | null, body: Buffer) => void) {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  stream.on("end", () => done(null, Buffer.concat(chunks)));
}

describe("dispute evidence files", () => {
  let t: TestContext;
  let dataDir: string;
  let acme: Awaited<ReturnType<typeof setupIntakeClient>>;
  let phone = 300;

  const upload = (agent: supertest.Agent | ReturnType<typeof supertest>, disputeId: string, type: string, body: Buffer) =>
    agent.post(`/api/disputes/${disputeId}/evidence`).set("Content-Type", type).set("X-File-Name", "call-screenshot.png").send(body);
  const download = (agent: supertest.Agent | ReturnType<typeof supertest>, disputeId: string) => agent.get(`/api/disputes/${disputeId}/evidence`).buffer(true).parse(binary);
  const openDispute = async (reason = "wrong_number") => {
    const { leadId } = await submitTestLead(t.deps, acme, { name: "Ann Smith", phone: `212-555-0${phone++}`, zip: "10001" });
    const res = await trpc(await loginAgent(t.app, "boss@acme.test"), "mutation", "disputes.open", { leadId, reason });
    return res.body.result.data.dispute as { id: string; status: string };
  };
  const storedFiles = async (disputeId: string) => readdir(path.join(dataDir, "evidence", disputeId)).catch(() => [] as string[]);

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "leadledger-evidence-"));
    t = await createTestContext({ env: { DATA_DIR: dataDir } });
    acme = await setupIntakeClient(t.deps, { name: "Acme Roofing", contract: DISPUTE_CONTRACT });
    const other = await setupIntakeClient(t.deps, { name: "Other Plumbing", contract: DISPUTE_CONTRACT });
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "boss@acme.test", password: PASSWORD, role: "client_admin", clientId: acme.client.id });
    await t.deps.users.create(SYSTEM, { email: "rep@acme.test", password: PASSWORD, role: "client_member", clientId: acme.client.id });
    await t.deps.users.create(SYSTEM, { email: "boss@other.test", password: PASSWORD, role: "client_admin", clientId: other.client.id });
  });
  afterAll(async () => {
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("stores a client's screenshot under DATA_DIR/evidence/<disputeId>/ and serves it inline to the agency and that client", async () => {
    const dispute = await openDispute();
    const client = await loginAgent(t.app, "rep@acme.test");

    const res = await upload(client, dispute.id, "image/png", PNG);

    expect(res.status).toBe(201);
    expect(res.body.dispute.evidence).toEqual({ contentType: "image/png", filename: "call-screenshot.png", url: `/api/disputes/${dispute.id}/evidence` });
    const files = await storedFiles(dispute.id);
    expect(files).toHaveLength(1);
    expect(await readFile(path.join(dataDir, "evidence", dispute.id, files[0]!))).toEqual(PNG);
    for (const who of ["admin@agency.test", "boss@acme.test"]) {
      const got = await download(await loginAgent(t.app, who), dispute.id);
      expect(got.status).toBe(200);
      expect(got.headers["content-type"]).toBe("image/png");
      expect(got.headers["content-disposition"]).toBe("inline");
      expect(got.headers["content-security-policy"]).toMatch(/^sandbox; default-src 'none'/);
      expect(got.headers["x-content-type-options"]).toBe("nosniff");
      expect(got.body).toEqual(PNG);
    }
    const seen = await trpc(await loginAgent(t.app, "admin@agency.test"), "query", "disputes.get", { id: dispute.id });
    expect(seen.body.result.data.evidence.url).toBe(`/api/disputes/${dispute.id}/evidence`);
    expect(await count(t.deps, "audit_events", sql`entity_id = ${dispute.id} and action = 'dispute.evidence_attached'`)).toBe(1);
  });

  it("serves an uploaded PDF as a download under a sandbox CSP, never as a page on our origin", async () => {
    const dispute = await openDispute();
    const client = await loginAgent(t.app, "rep@acme.test");
    const file = pdf(2048);
    const res = await client.post(`/api/disputes/${dispute.id}/evidence`).set("Content-Type", "application/pdf").set("X-File-Name", "bill \"2026\".pdf").send(file);
    expect(res.status).toBe(201);
    const got = await download(await loginAgent(t.app, "admin@agency.test"), dispute.id);
    expect(got.status).toBe(200);
    expect(got.headers["content-type"]).toBe("application/pdf");
    expect(got.headers["content-disposition"]).toMatch(/^attachment; filename="bill[ _]2026[ _]?\.pdf"$/);
    expect(got.headers["content-security-policy"]).toContain("sandbox");
    expect(got.headers["content-security-policy"]).not.toMatch(/script-src/);
    expect(got.body).toEqual(file);
  });

  it("serves evidence to nobody else: another client gets 404, no session gets 401", async () => {
    const dispute = await openDispute();
    await upload(await loginAgent(t.app, "boss@acme.test"), dispute.id, "image/png", PNG);

    const stranger = await download(await loginAgent(t.app, "boss@other.test"), dispute.id);
    const anonymous = await download(supertest(t.app), dispute.id);

    expect(stranger.status).toBe(404);
    expect(JSON.parse(stranger.body.toString()).error.code).toBe("NOT_FOUND");
    expect(anonymous.status).toBe(401);
  });

  it("lets only the dispute's client attach evidence: another client gets 404, agency staff 403", async () => {
    const dispute = await openDispute();

    const stranger = await upload(await loginAgent(t.app, "boss@other.test"), dispute.id, "image/png", PNG);
    const agency = await upload(await loginAgent(t.app, "admin@agency.test"), dispute.id, "image/png", PNG);
    const anonymous = await upload(supertest(t.app), dispute.id, "image/png", PNG);

    expect([stranger.status, agency.status, anonymous.status]).toEqual([404, 403, 401]);
    expect(await storedFiles(dispute.id)).toEqual([]);
  });

  it("refuses other content types, and files that do not match their declared type, with 415", async () => {
    const dispute = await openDispute();
    const client = await loginAgent(t.app, "boss@acme.test");

    const html = await upload(client, dispute.id, "text/html", Buffer.from("<script>alert(1)</script>"));
    const json = await client.post(`/api/disputes/${dispute.id}/evidence`).set("Content-Type", "application/json").send({ a: 1 });
    const disguised = await upload(client, dispute.id, "image/png", Buffer.from("<html><script>alert(1)</script></html>"));

    expect([html.status, json.status, disguised.status]).toEqual([415, 415, 415]);
    expect(html.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(disguised.body.error.message).toContain("does not look like a PNG image");
    expect(await storedFiles(dispute.id)).toEqual([]);
  });

  it("accepts a file of exactly 5 MB and refuses a larger one with 413", async () => {
    const dispute = await openDispute();
    const client = await loginAgent(t.app, "boss@acme.test");

    const tooBig = await upload(client, dispute.id, "application/pdf", pdf(5 * MB + 1));
    const limit = await upload(client, dispute.id, "application/pdf", pdf(5 * MB));

    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(limit.status).toBe(201);
  });

  it("replaces an earlier file with a new upload and removes the old bytes", async () => {
    const dispute = await openDispute();
    const client = await loginAgent(t.app, "boss@acme.test");
    await upload(client, dispute.id, "image/png", PNG);

    const res = await upload(client, dispute.id, "application/pdf", pdf(1000));

    expect(res.status).toBe(201);
    expect(await storedFiles(dispute.id)).toHaveLength(1);
    const got = await download(client, dispute.id);
    expect(got.headers["content-type"]).toBe("application/pdf");
    expect(got.body).toEqual(pdf(1000));
  });

  it("refuses evidence for a dispute that is already decided, and answers 404 when there is no file", async () => {
    const decided = await openDispute("spam");
    const client = await loginAgent(t.app, "boss@acme.test");

    const res = await upload(client, decided.id, "image/png", PNG);
    const none = await download(client, decided.id);

    expect(decided.status).toBe("auto_approved");
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVALID_TRANSITION");
    expect(none.status).toBe(404);
  });
});
