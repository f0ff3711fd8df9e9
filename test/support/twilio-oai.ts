/**
 * Checks requests to, and answers of, the fake Twilio against Twilio's published OpenAPI
 * description of the 2010-04-01 API (test/fixtures/twilio-oai/twilio_api_v2010.json, MIT licence
 * beside it, from Twilio's twilio-oai repository, copied unchanged).
 *
 * A request is checked when its path is one the description has (media such as
 * `Recordings/RE….mp3` is not described there and is not checked): path parameters, query
 * parameters and the form body against the operation's schemas, with form strings read as the
 * schema's type (Twilio's API is form-encoded). An answer with a 2xx status is checked against the
 * response schema of that status. Formats the description uses are checked where they matter to
 * us (uri, phone-number, http-method, date-time); other vendor formats are accepted.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import type { FakeTwilioValidator } from "../../server/integrations/twilio/fake-twilio-server";

type Json = Record<string, unknown>;
interface Schema {
  type?: string | string[];
  items?: Schema;
  $ref?: string;
  [k: string]: unknown;
}
interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

const SPEC_FILE = path.join(__dirname, "..", "fixtures", "twilio-oai", "twilio_api_v2010.json");
const SPEC_ID = "twilio_api_v2010";

/** E.164, a channel address ("whatsapp:+1…"), or — list filters — a partial number with `*` wildcards. */
const PHONE_NUMBER = /^(\+[1-9]\d{1,14}|\+?[0-9*]{1,15}|[a-z]+:.+)$/;

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0 && !u.hostname.includes("_");
  } catch {
    return false;
  }
}

interface CompiledOperation {
  method: string;
  template: string;
  pattern: RegExp;
  pathNames: string[];
  op: Operation;
  params: Map<string, Parameter>;
  body: Schema | null;
  validateBody: ValidateFunction | null;
  responses: Map<string, ValidateFunction>;
}

let cached: TwilioOaiValidator | null = null;

/** One validator per test process: compiling the description's schemas takes a moment. */
export function twilioOaiValidator(): TwilioOaiValidator {
  cached ??= new TwilioOaiValidator(JSON.parse(readFileSync(SPEC_FILE, "utf8")) as Json).warm(/\/(Messages|IncomingPhoneNumbers)(\/\{Sid\})?\.json$/);
  return cached;
}

export class TwilioOaiValidator implements FakeTwilioValidator {
  private readonly ajv: Ajv;
  private readonly ops: CompiledOperation[] = [];
  private readonly spec: Json;
  private readonly paramValidators = new Map<string, ValidateFunction>();

  constructor(spec: Json) {
    this.spec = spec;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, coerceTypes: false });
    // Answers carry relative URIs ("/2010-04-01/…"); request URLs must be absolute (checked in request()).
    this.ajv.addFormat("uri", { validate: (s: string) => s.startsWith("/") || isHttpUrl(s) });
    this.ajv.addFormat("phone-number", { validate: (s: string) => PHONE_NUMBER.test(s) });
    this.ajv.addFormat("http-method", { validate: (s: string) => ["GET", "POST", "get", "post"].includes(s) });
    this.ajv.addFormat("date-time", { validate: (s: string) => !Number.isNaN(Date.parse(s)) });
    for (const f of ["date", "date-time-rfc-2822", "int64", "int32", "currency", "uri-template", "decimal", "duration", "email", "float", "double"]) {
      this.ajv.addFormat(f, true);
    }
    // Twilio's own vendor formats ("sid<AC>", "phone-number-capabilities" …): accepted.
    this.ajv.addKeyword({ keyword: "x-twilio" });
    const components = spec.components as Json;
    this.ajv.addSchema({ $id: SPEC_ID, components: fixNullable(components) }, SPEC_ID);
    const formats = this.ajv.formats as Record<string, unknown>;
    for (const f of collectFormats(components)) if (!formats[f]) this.ajv.addFormat(f, true);

    const paths = spec.paths as Record<string, Record<string, Operation>>;
    for (const [template, item] of Object.entries(paths)) {
      for (const method of ["get", "post", "delete"]) {
        const op = item[method];
        if (!op) continue;
        const pathNames: string[] = [];
        const pattern = new RegExp(
          "^" +
            template.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === "{" || c === "}" ? c : `\\${c}`)).replace(/\{([^}]+)\}/g, (_, name: string) => {
              pathNames.push(name);
              return "([^/]+)";
            }) +
            "$",
        );
        const params = new Map<string, Parameter>();
        for (const p of [...((item as { parameters?: Parameter[] }).parameters ?? []), ...(op.parameters ?? [])]) params.set(`${p.in}:${p.name}`, p);
        const body = op.requestBody?.content?.["application/x-www-form-urlencoded"]?.schema ?? null;
        this.ops.push({ method: method.toUpperCase(), template, pattern, pathNames, op, params, body, validateBody: null, responses: new Map() });
      }
    }
  }

  /**
   * Compiles the operations under the given paths now, so that the first request a test makes is
   * not held up by schema compilation (tests with short client timeouts would see a slow Twilio).
   */
  warm(pathPattern: RegExp): this {
    for (const op of this.ops) {
      if (!pathPattern.test(op.template)) continue;
      if (op.body) op.validateBody ??= this.compile(op.body);
      for (const [status, r] of Object.entries(op.op.responses ?? {})) {
        const schema = r.content?.["application/json"]?.schema;
        if (schema && status.startsWith("2") && !op.responses.has(status)) op.responses.set(status, this.compile(schema));
      }
      for (const p of op.params.values()) if (p.schema && !this.paramValidators.has(JSON.stringify(p.schema))) this.paramValidators.set(JSON.stringify(p.schema), this.compile(p.schema));
    }
    return this;
  }

  private find(method: string, urlPath: string): { op: CompiledOperation; pathValues: Record<string, string> } | null {
    for (const op of this.ops) {
      if (op.method !== method) continue;
      const m = op.pattern.exec(urlPath);
      if (!m) continue;
      const pathValues: Record<string, string> = {};
      op.pathNames.forEach((n, i) => (pathValues[n] = decodeURIComponent(m[i + 1]!)));
      return { op, pathValues };
    }
    return null;
  }

  private compile(schema: Schema): ValidateFunction {
    return this.ajv.compile(fixNullable(rebase(schema)) as object);
  }

  private resolve(schema: Schema | undefined): Schema | undefined {
    let s = schema;
    for (let i = 0; s?.$ref && i < 5; i++) {
      const parts = s.$ref.replace(/^#\//, "").split("/");
      s = parts.reduce<unknown>((o, k) => (o as Json | undefined)?.[k], this.spec) as Schema | undefined;
    }
    return s;
  }

  private checkValue(where: string, schema: Schema | undefined, raw: string | string[]): string[] {
    if (!schema) return [];
    const resolved = this.resolve(schema) ?? schema;
    const value = coerce(resolved, raw);
    const key = JSON.stringify(schema);
    let v = this.paramValidators.get(key);
    if (!v) {
      v = this.compile(schema);
      this.paramValidators.set(key, v);
    }
    return v(value) ? [] : (v.errors ?? []).map((e) => `${where}${e.instancePath} ${e.message ?? "is invalid"} (got ${JSON.stringify(value)})`);
  }

  request(r: { method: string; path: string; query: URLSearchParams; form: Record<string, string | string[]> }): string[] {
    const found = this.find(r.method, r.path);
    if (!found) return [];
    const { op, pathValues } = found;
    const problems: string[] = [];
    for (const [name, value] of Object.entries(pathValues)) problems.push(...this.checkValue(`path ${name}`, op.params.get(`path:${name}`)?.schema, value));
    const queryNames = new Set(r.query.keys());
    for (const name of queryNames) {
      const p = op.params.get(`query:${name}`);
      if (!p) {
        problems.push(`query parameter ${name} is not a parameter of ${r.method} ${op.template}`);
        continue;
      }
      const all = r.query.getAll(name);
      problems.push(...this.checkValue(`query ${name}`, p.schema, all.length > 1 ? all : all[0]!));
    }
    for (const p of op.params.values()) if (p.in === "query" && p.required && !queryNames.has(p.name)) problems.push(`query parameter ${p.name} is required`);
    if (op.body) {
      op.validateBody ??= this.compile(op.body);
      const schema = this.resolve(op.body) ?? op.body;
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const body: Json = {};
      for (const [k, v] of Object.entries(r.form)) {
        if (!props[k]) {
          problems.push(`form parameter ${k} is not a parameter of ${r.method} ${op.template}`);
          continue;
        }
        const prop = this.resolve(props[k]) ?? props[k];
        body[k] = coerce(prop, v);
        if (prop.format === "uri" && typeof body[k] === "string" && body[k] !== "" && !isHttpUrl(body[k])) problems.push(`form/${k} must be an absolute http(s) URL (got ${JSON.stringify(body[k])})`);
      }
      if (!op.validateBody(body)) problems.push(...(op.validateBody.errors ?? []).map((e) => `form${e.instancePath} ${e.message ?? "is invalid"}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`));
    } else if (Object.keys(r.form).length > 0 && r.method === "POST") {
      problems.push(`${r.method} ${op.template} takes no form body`);
    }
    return problems.map((p) => `${r.method} ${r.path}: ${p}`);
  }

  response(r: { method: string; path: string; status: number; body: unknown }): string[] {
    if (r.status < 200 || r.status >= 300) return [];
    const found = this.find(r.method, r.path);
    if (!found) return [];
    const { op } = found;
    const declared = op.op.responses?.[String(r.status)];
    if (!declared) return [`${r.method} ${r.path}: answered ${r.status}, which the description does not list (${Object.keys(op.op.responses ?? {}).join(", ")})`];
    const schema = declared.content?.["application/json"]?.schema;
    if (!schema) return [];
    let v = op.responses.get(String(r.status));
    if (!v) {
      v = this.compile(schema);
      op.responses.set(String(r.status), v);
    }
    return v(r.body) ? [] : (v.errors ?? []).map((e) => `${r.method} ${r.path} answer${e.instancePath} ${e.message ?? "is invalid"}`);
  }
}

/** `#/components/...` inside an operation's schema → the registered description's components. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (!schema || typeof schema !== "object") return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `${SPEC_ID}${v}` : rebase(v);
  return out;
}

/** OpenAPI 3.0's `nullable` next to a `$ref` (no `type`), which Ajv refuses, as `anyOf [ref, null]`. */
function fixNullable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(fixNullable);
  if (!schema || typeof schema !== "object") return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) out[k] = fixNullable(v);
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    const { $ref, ...rest } = out;
    return $ref ? { ...rest, anyOf: [{ $ref }, { type: "null" }] } : rest;
  }
  return out;
}

function collectFormats(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) collectFormats(n, into);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === "format" && typeof v === "string") into.add(v);
      else collectFormats(v, into);
    }
  }
  return into;
}

/** A form or query string read as the schema's type, the way Twilio parses it. */
function coerce(schema: Schema, raw: string | string[]): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "array") return (Array.isArray(raw) ? raw : [raw]).map((x) => coerce(schema.items ?? {}, x));
  const one = Array.isArray(raw) ? raw[raw.length - 1]! : raw;
  if (type === "integer" || type === "number") return one.trim() !== "" && !Number.isNaN(Number(one)) ? Number(one) : one;
  if (type === "boolean") return one === "true" ? true : one === "false" ? false : one;
  return one;
}
