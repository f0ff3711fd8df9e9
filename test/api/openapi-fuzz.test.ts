import Ajv2020 from "ajv/dist/2020";
import fc from "fast-check";
import supertest from "supertest";
import { createTestContext, type TestContext } from "../support/app";
import { GOOD_LEAD, setupIntakeClient } from "../support/fixtures";
import { arbitraryFor } from "../support/schema-arbitrary";

/**
 * Issue #22.4: requests generated from the OpenAPI description itself (its request-body JSON
 * Schemas, through fast-check with a fixed seed so a failure replays) against the running app:
 * every answer is a status the description lists for that operation, its JSON body matches the
 * schema documented for that status, and nothing answers 5xx. Schemathesis does the same from
 * Python; this runs in the jest suite with nothing to install.
 */
type Json = Record<string, unknown>;

describe("requests generated from the OpenAPI description", () => {
  let t: TestContext;
  let doc: Json;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;
  let qualifiedLeadId: string;
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  let visitor = 0;

  beforeAll(async () => {
    t = await createTestContext({ remix: false });
    doc = (await supertest(t.app).get("/api/openapi.json")).body as Json;
    ajv.addSchema({ $id: "doc", components: doc.components } as Json);
    s = await setupIntakeClient(t.deps);
    const lead = await supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${s.key}`).send({ ...GOOD_LEAD, phone: "212-555-0931" });
    expect(lead.body.status).toBe("qualified");
    qualifiedLeadId = lead.body.leadId;
  });
  afterAll(() => t.close());

  const operation = (path: string) => (doc.paths as Record<string, Record<string, Json>>)[path]!.post!;
  const bodySchema = (path: string) => ((operation(path).requestBody as Json).content as Record<string, { schema: Json }>)["application/json"]!.schema;

  /** The answer is documented for this operation, and its JSON matches the documented schema. */
  function expectDocumented(path: string, res: supertest.Response): void {
    expect(res.status).toBeLessThan(500);
    const response = (operation(path).responses as Record<string, Json>)[String(res.status)];
    expect({ path, status: res.status, documented: Boolean(response) }).toEqual({ path, status: res.status, documented: true });
    const schema = (response!.content as Record<string, { schema: Json }> | undefined)?.["application/json"]?.schema;
    if (!schema || !/json/.test(String(res.headers["content-type"]))) return;
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) as Json);
    const ok = validate(res.body);
    expect({ path, status: res.status, ok, errors: validate.errors ?? null, body: res.body }).toMatchObject({ ok: true, errors: null });
  }

  const cases: [string, (body: unknown) => supertest.Test][] = [
    ["/api/v1/leads", (body) => supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${s.key}`).send(body as object)],
    [
      "/api/forms/{publicKey}",
      (body) =>
        supertest(t.app)
          .post(`/api/forms/${s.publicKey}`)
          .set("Origin", "https://roofs.example.com")
          .set("X-Forwarded-For", `10.77.${(visitor >> 8) & 255}.${visitor++ & 255}`)
          .send(body as object),
    ],
    ["/api/v1/leads/{leadId}/conversion", (body) => supertest(t.app).post(`/api/v1/leads/${qualifiedLeadId}/conversion`).set("Authorization", `Bearer ${s.key}`).send(body as object)],
  ];

  it.each(cases)("%s answers every generated body as documented", async (path, send) => {
    const body = arbitraryFor(bodySchema(path), doc) as fc.Arbitrary<unknown>;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await send(b);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expectDocumented(path, res);
      }),
      { numRuns: 150, seed: 22 },
    );
    // The generator reaches the success path, not only the refusals.
    expect([...statuses.keys()].some((st) => st < 300)).toBe(true);
  });
});
