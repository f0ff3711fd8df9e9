import fc from "fast-check";

/**
 * fast-check arbitraries from the JSON Schemas of an OpenAPI 3.1 document: every value generated is
 * valid against the schema (as far as JSON Schema says; rules zod checks beyond it, such as "only
 * `fields` may be an object", are what the API's 422 answers are for). Sizes are capped so a run
 * stays quick. Supports what LeadLedger's schemas use: $ref, enum, anyOf/oneOf, type lists, objects
 * with properties/required/additionalProperties/propertyNames, arrays, strings (uuid/date-time
 * formats), numbers, integers, booleans, null.
 */
type Schema = Record<string, unknown>;

export function arbitraryFor(schema: Schema, doc: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 4) return fc.constant(null);
  const next = (s: unknown) => arbitraryFor((s ?? {}) as Schema, doc, depth + 1);
  if (typeof schema.$ref === "string") {
    const id = schema.$ref.replace("#/components/schemas/", "");
    return arbitraryFor(((doc.components as Schema).schemas as Record<string, Schema>)[id]!, doc, depth);
  }
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryFor(s, doc, depth)));
  if (Array.isArray(schema.type)) return fc.oneof(...(schema.type as string[]).map((type) => arbitraryFor({ ...schema, type }, doc, depth)));
  switch (schema.type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      const known = fc.record(Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, next(s)])), { requiredKeys: required });
      const extra = schema.additionalProperties;
      if (!extra || typeof extra !== "object") return known;
      const names = (schema.propertyNames ?? { type: "string" }) as Schema;
      const keys = fc.oneof(fc.constantFrom("name", "phone", "email", "zip", "state", "budget", "fields", "consent", "campaignId"), arbitraryFor(names, doc, depth + 1) as fc.Arbitrary<string>);
      return fc.tuple(known, fc.dictionary(keys, next(extra), { maxKeys: 6 })).map(([a, b]) => ({ ...b, ...a }));
    }
    case "array":
      return fc.array(next(schema.items), { maxLength: Math.min(Number(schema.maxItems ?? 4), 4) });
    case "string": {
      if (schema.format === "uuid") return fc.uuid();
      if (schema.format === "date-time") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      const minLength = Number(schema.minLength ?? 0);
      return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(Number(schema.maxLength ?? 30), 30)) });
    }
    case "integer":
      return fc.integer({ min: Math.max(Number(schema.minimum ?? -1e9), -1e12), max: Math.min(Number(schema.maximum ?? 1e9), 1e12) });
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}
