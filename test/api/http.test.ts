import supertest from "supertest";
import { createTestContext, type TestContext } from "../support/app";

describe("HTTP basics", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(() => t.close());

  it("answers /healthz with ok while the database answers", async () => {
    const res = await supertest(t.app).get("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("sets security headers and a request id", async () => {
    const res = await supertest(t.app).get("/healthz").set("X-Request-Id", "abc-123");
    expect(res.headers["x-request-id"]).toBe("abc-123");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("exposes Prometheus metrics including request counts", async () => {
    await supertest(t.app).get("/healthz");
    const res = await supertest(t.app).get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/plain/);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(res.text).toContain("process_cpu_seconds_total");
  });

  it("answers malformed JSON with 400 and the error JSON", async () => {
    const res = await supertest(t.app).post("/api/v1/leads").set("content-type", "application/json").send('{"name": "Ann",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: "MALFORMED_BODY", message: expect.any(String) } });
  });

  it("answers an oversized body with 413", async () => {
    const res = await supertest(t.app)
      .post("/api/v1/leads")
      .set("content-type", "application/json")
      .send(JSON.stringify({ blob: "x".repeat(200 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers an unknown API path with a JSON 404", async () => {
    const res = await supertest(t.app).get("/api/nope");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
  });

  it("renders a 404 page in the layout for an unknown page", async () => {
    const res = await supertest(t.app).get("/no-such-page");
    expect(res.status).toBe(404);
    expect(res.text).toContain("Page not found");
  });
});

describe("/healthz when the database is down", () => {
  it("answers 503", async () => {
    const t = await createTestContext({ remix: false });
    await t.close(); // drops the database and ends the pool
    const res = await supertest(t.app).get("/healthz");
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("DATABASE_UNAVAILABLE");
  });
});
