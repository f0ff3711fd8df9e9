import SwaggerParser from "@apidevtools/swagger-parser";
import Ajv2020 from "ajv/dist/2020";
import type { Express } from "express";
import supertest from "supertest";
import { documentedOperations } from "../../server/http/openapi";
import { createTestContext, type TestContext } from "../support/app";
import { GOOD_LEAD, setupIntakeClient } from "../support/fixtures";

/**
 * Issue #22.1: the OpenAPI description is generated, valid OpenAPI 3.1, covers every public REST
 * route the app has, and real answers match it.
 */

type Json = Record<string, unknown>;

/** "METHOD /path" of every route the Express app serves, mount paths included (Express 4 layers). */
function expressRoutes(app: Express): string[] {
  const out: string[] = [];
  const mountOf = (re: RegExp): string =>
    re.source
      .replace(/^\^/, "")
      .replace(/\\\/\?\(\?=\\\/\|\$\)$/, "")
      .replace(/\\\//g, "/");
  const walk = (stack: unknown[], prefix: string) => {
    for (const raw of stack) {
      const layer = raw as { route?: { path: string | string[]; methods: Record<string, boolean> }; name?: string; handle?: { stack?: unknown[] }; regexp: RegExp };
      if (layer.route) {
        for (const p of Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]) {
          // router.all: Twilio may be set to fetch with GET or POST.
          for (const m of Object.keys(layer.route.methods).flatMap((k) => (k === "_all" ? ["get", "post"] : [k]))) out.push(`${m.toUpperCase()} ${prefix}${p}`);
        }
      } else if (layer.name === "router" && layer.handle?.stack) {
        walk(layer.handle.stack, prefix + mountOf(layer.regexp));
      }
    }
  };
  walk((app as unknown as { _router: { stack: unknown[] } })._router.stack, "");
  return [...new Set(out)].sort();
}

describe("the OpenAPI description", () => {
  let t: TestContext;
  let doc: Json;
  beforeAll(async () => {
    t = await createTestContext({ remix: false });
    const res = await supertest(t.app).get("/api/openapi.json");
    expect(res.status).toBe(200);
    doc = res.body as Json;
  });
  afterAll(() => t.close());

  it("is valid OpenAPI 3.1 with every $ref resolvable", async () => {
    expect(doc.openapi).toBe("3.1.0");
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it("describes every public REST and webhook route the app serves, and nothing it does not", () => {
    const served = expressRoutes(t.app).filter((r) => !/ \/docs\/api/.test(r) && !/ \/trpc/.test(r));
    const documented = documentedOperations(doc).sort();

    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((r) => !served.includes(r))).toEqual([]);
  });

  describe("real answers match it", () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    let s: Awaited<ReturnType<typeof setupIntakeClient>>;
    beforeAll(async () => {
      s = await setupIntakeClient(t.deps);
      ajv.addSchema({ $id: "doc", components: doc.components } as Json);
    });

    /** Validates `body` against the documented response of `method path` for `status`. */
    function conforms(method: string, path: string, status: number, body: unknown, mediaType = "application/json"): void {
      const op = (doc.paths as Record<string, Record<string, Json>>)[path]![method]!;
      const response = (op.responses as Record<string, Json>)[String(status)];
      expect({ documented: Boolean(response), status }).toEqual({ documented: true, status });
      const schema = ((response!.content as Record<string, { schema: Json }>)[mediaType]!).schema;
      const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) as Json;
      const validate = ajv.compile(rewritten);
      const ok = validate(body);
      expect({ ok, errors: validate.errors ?? null, body }).toMatchObject({ ok: true, errors: null });
    }

    it("a qualified and a rejected vendor lead, and the errors a vendor meets", async () => {
      const api = () => supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${s.key}`);
      const qualified = await api().send({ ...GOOD_LEAD, phone: "212-555-0911" });
      expect(qualified.status).toBe(201);
      conforms("post", "/api/v1/leads", 201, qualified.body);

      const rejected = await api().send({ ...GOOD_LEAD, phone: "212-555-0912", zip: "94105", budget: "10" });
      expect(rejected.body.status).toBe("rejected");
      conforms("post", "/api/v1/leads", 201, rejected.body);

      const invalid = await api().send({ name: { first: "Ann" } });
      expect(invalid.status).toBe(422);
      conforms("post", "/api/v1/leads", 422, invalid.body);

      const unauthenticated = await supertest(t.app).post("/api/v1/leads").send(GOOD_LEAD);
      conforms("post", "/api/v1/leads", unauthenticated.status, unauthenticated.body);

      const notJson = await api().type("form").send("name=Ann");
      conforms("post", "/api/v1/leads", notJson.status, notJson.body);

      const malformed = await api().set("Content-Type", "application/json").send("{");
      conforms("post", "/api/v1/leads", malformed.status, malformed.body);
    });

    it("a vendor lead with an attribution object, and the number pool's answers", async () => {
      const withAttribution = await supertest(t.app)
        .post("/api/v1/leads")
        .set("Authorization", `Bearer ${s.key}`)
        .send({ ...GOOD_LEAD, email: "attribution@example.com", phone: "212-555-0917", attribution: { utm_source: "google", utm_term: "roof repair", gclid: "G-OAS", first_touch: { utm_source: "facebook" } } });
      expect(withAttribution.status).toBe(201);
      conforms("post", "/api/v1/leads", 201, withAttribution.body);
      const unknownPool = await supertest(t.app).post("/api/dni/dp_nopool00").set("content-type", "text/plain").send(JSON.stringify({ session: "abcdefgh12" }));
      conforms("post", "/api/dni/{poolKey}", 404, unknownPool.body);
      const bad = await supertest(t.app).post("/api/dni/dp_nopool00").set("content-type", "text/plain").send("[");
      conforms("post", "/api/dni/{poolKey}", 422, bad.body);
      const answer = await t.deps.attribution.reserveNumber("dp_nopool00", { session: "abcdefgh12" }).catch((e: Error) => e);
      expect(answer).toMatchObject({ code: "NOT_FOUND" });
    });

    it("a form lead, a conversion and the health checks", async () => {
      const form = await supertest(t.app).post(`/api/forms/${s.publicKey}`).set("Origin", "https://roofs.example.com").send({ ...GOOD_LEAD, phone: "212-555-0913" });
      conforms("post", "/api/forms/{publicKey}", form.status, form.body);
      const foreign = await supertest(t.app).post(`/api/forms/${s.publicKey}`).set("Origin", "https://evil.example").send(GOOD_LEAD);
      conforms("post", "/api/forms/{publicKey}", foreign.status, foreign.body);

      const won = await supertest(t.app).post(`/api/v1/leads/${form.body.leadId}/conversion`).set("Authorization", `Bearer ${s.key}`).send({ outcome: "won", valueCents: 120_000 });
      expect(won.status).toBe(200);
      conforms("post", "/api/v1/leads/{leadId}/conversion", 200, won.body);

      const health = await supertest(t.app).get("/healthz");
      conforms("get", "/healthz", health.status, health.body);
    });
  });

  it("is rendered at /docs/api from a bundle this server serves", async () => {
    const page = await supertest(t.app).get("/docs/api");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<redoc spec-url="/api/openapi.json"');
    expect(page.headers["content-security-policy"]).toMatch(/script-src 'self';/);
    const bundle = await supertest(t.app).get("/docs/api/redoc.standalone.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers["content-type"]).toMatch(/javascript/);
  });
});
