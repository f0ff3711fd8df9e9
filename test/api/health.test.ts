import supertest from "supertest";
import { parseTrustProxy } from "../../server/config";
import { createApp } from "../../server/http/app";
import { createTestContext, type TestContext } from "../support/app";

describe("health, readiness and the trusted proxy", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ remix: false });
  });
  afterAll(() => t.close());

  it("answers /healthz and /readyz while the database answers, with the checks named", async () => {
    expect((await supertest(t.app).get("/healthz")).body).toEqual({ status: "ok" });
    const ready = await supertest(t.app).get("/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: "ready", checks: { database: true } });
  });

  it("is not ready while a part of the process is not up, and says which", async () => {
    let listening = false;
    const app = createApp(t.deps, { remixBuild: null, readiness: () => ({ "outbox listener": listening }) });
    const waiting = await supertest(app).get("/readyz");
    expect(waiting.status).toBe(503);
    expect(waiting.body.error).toEqual({ code: "NOT_READY", message: "Not ready yet: outbox listener." });
    listening = true;
    expect((await supertest(app).get("/readyz")).status).toBe(200);
  });

  it("reads TRUST_PROXY as Express does, and the app uses it", async () => {
    expect(parseTrustProxy("loopback")).toEqual(["loopback"]);
    expect(parseTrustProxy("uniquelocal, 10.0.0.0/8")).toEqual(["uniquelocal", "10.0.0.0/8"]);
    expect(parseTrustProxy("2")).toBe(2);
    expect(parseTrustProxy("TRUE")).toBe(true);
    expect(parseTrustProxy("false")).toBe(false);
    const none = await createTestContext({ remix: false, env: { TRUST_PROXY: "false" } });
    try {
      expect(t.app.get("trust proxy fn")("127.0.0.1", 0)).toBe(true);
      expect(none.app.get("trust proxy fn")("127.0.0.1", 0)).toBe(false);
    } finally {
      await none.close();
    }
  });
});
