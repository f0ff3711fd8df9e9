import { z } from "zod";
import { conversionInput, leadPayloadSchema } from "../domain/leads/inputs";
import { dniRequestInput } from "../domain/attribution/inputs";
import { conversionAnswerSchema, dniAnswerSchema, errorBodySchema, healthSchema, leadAnswerSchema, readinessSchema } from "./api-schemas";

/**
 * The OpenAPI 3.1 description of LeadLedger's public HTTP surface, served at /api/openapi.json and
 * rendered at /docs/api. Bodies are generated from the zod schemas the routes parse with
 * (server/domain/leads/inputs.ts) and answer with (api-schemas.ts); nothing here restates a field.
 * `test/api/openapi.test.ts` fails when a route exists that this description lacks, and checks real
 * answers against it.
 */

type Json = Record<string, unknown>;

/**
 * JSON Schema (2020-12, what OpenAPI 3.1 uses) of a zod schema. Parts named with `.meta({ id })`
 * go to components/schemas (their `$defs` refs rewritten to point there); the rest is inline.
 */
function schemaOf(schema: z.ZodType, io: "input" | "output", components: Json): Json {
  const generated = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });
  const out = JSON.parse(JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json;
  for (const [id, def] of Object.entries((out.$defs ?? {}) as Record<string, Json>)) components[id] = def;
  const { $schema: _schema, $defs: _defs, ...rest } = out;
  return rest;
}

const jsonContent = (schema: Json) => ({ "application/json": { schema } });

interface ErrorCase {
  status: number;
  codes: string[];
  why: string;
}

const RATE_LIMIT_HEADERS = {
  RateLimit: { description: "IETF draft-8 rate-limit header: remaining requests and seconds until the window resets", schema: { type: "string" } },
  "RateLimit-Policy": { description: "The limit and window, e.g. `1200;w=60`", schema: { type: "string" } },
};

function errorResponses(cases: ErrorCase[], errorRef: Json): Json {
  const byStatus = new Map<number, ErrorCase[]>();
  for (const c of cases) byStatus.set(c.status, [...(byStatus.get(c.status) ?? []), c]);
  return Object.fromEntries(
    [...byStatus.entries()].map(([status, cs]) => [
      String(status),
      {
        description: cs.map((c) => `${c.codes.map((k) => `\`${k}\``).join(", ")}: ${c.why}`).join("; "),
        ...(status === 429 ? { headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } } } } : {}),
        content: jsonContent(errorRef),
      },
    ]),
  );
}

const COMMON_BODY_ERRORS: ErrorCase[] = [
  { status: 400, codes: ["MALFORMED_BODY"], why: "the body is not valid JSON or form data" },
  { status: 413, codes: ["PAYLOAD_TOO_LARGE"], why: "the body is larger than 100 KB" },
  { status: 415, codes: ["UNSUPPORTED_MEDIA_TYPE"], why: "wrong Content-Type" },
  { status: 422, codes: ["VALIDATION_FAILED"], why: "the body does not have the documented shape; `issues` says where" },
];

const TWILIO_ERRORS: ErrorCase[] = [
  { status: 403, codes: ["BAD_SIGNATURE"], why: "X-Twilio-Signature does not match the request (a forged or altered webhook); nothing is stored" },
  { status: 503, codes: ["TWILIO_NOT_CONFIGURED"], why: "production without Twilio credentials; nothing is stored" },
];

/** Every documented operation as "METHOD /path" (Express syntax), for the route-coverage test. */
export function documentedOperations(doc: Json): string[] {
  const paths = doc.paths as Record<string, Record<string, unknown>>;
  const methods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
  return Object.entries(paths).flatMap(([p, ops]) =>
    Object.keys(ops)
      .filter((m) => methods.has(m))
      .map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ":$1")}`),
  );
}

// eslint-disable-next-line max-lines-per-function -- the OpenAPI document: data, not logic
export function openApiDocument(opts: { publicUrl: string; version: string }): Json {
  const schemas: Json = {};
  const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
  schemas.LeadPayload = {
    ...schemaOf(leadPayloadSchema, "input", schemas),
    description:
      "A flat object of lead fields. Known names are read as contact fields (`name` or `first_name`/`last_name`, `phone`, `email`, `zip`, `state`, `city`, with common aliases such as `phone_number`, `postal_code`); everything else is a custom field the contract may test (e.g. `budget`). Optional `fields` (an object of custom fields), `consent` (`{ text }`), `consent_text`, `page_url`, `campaignId`, and `attribution`: where the lead came from, with the names `utm_source`, `utm_medium`, `utm_campaign`, `utm_term`, `utm_content`, `gclid`, `gbraid`, `wbraid`, `fbclid`, `msclkid`, `ttclid`, `landing_page`, `referrer`, `session_id`, `first_touch_at` (other `utm_*` and click ids are kept too), optionally `first_touch` and `last_touch` objects with the same names (`ll_attribution` is the tracking snippet's hidden field carrying the same as JSON). Without them, `utm_*` and click ids posted as plain fields or found in `page_url` are used. A body of the right shape is always stored and judged: a missing phone or an out-of-area ZIP is a reason in the answer, not an error.",
    examples: [{ name: "Ann Smith", phone: "(212) 555-0142", email: "ann@example.com", zip: "10001", budget: 7500 }],
  };
  schemas.ConversionInput = schemaOf(conversionInput, "input", schemas);
  // These carry `.meta({ id })`: generating them puts them (and VerdictReason) under components.
  const errorRef = schemaOf(errorBodySchema, "output", schemas);
  schemaOf(leadAnswerSchema, "output", schemas);
  schemaOf(conversionAnswerSchema, "output", schemas);
  schemaOf(dniAnswerSchema, "output", schemas);
  schemas.DniRequest = {
    ...schemaOf(dniRequestInput, "input", schemas),
    description: "The visitor's session id (random, kept in the snippet's cookie) and its first and last touch (`{ at, params: { utm_…, gclid … }, landingPage, referrer }`), kept with the number so a call to it is attributed to this visit.",
  };

  const leadAnswer = {
    description: "The lead is stored (and judged, when the client has a contract in force).",
    content: jsonContent(ref("LeadAnswer")),
  };
  const twilioBody = (description: string) => ({
    required: true,
    content: { "application/x-www-form-urlencoded": { schema: { type: "object", additionalProperties: { type: "string" }, description } } },
  });
  const twiml = (description: string) => ({ description, content: { "text/xml": { schema: { type: "string" } } } });

  return {
    openapi: "3.1.0",
    info: {
      title: "LeadLedger API",
      version: opts.version,
      description:
        "Send leads in (web forms and vendor posts), report won deals, and receive Twilio's webhooks. Every error is JSON `{ error: { code, message, issues? } }`. Leads are judged against the client's qualification contract the moment they arrive; the answer says why.",
    },
    servers: [{ url: opts.publicUrl }],
    components: {
      schemas,
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description:
            "A client API key, created in the console under API keys and shown once. A live key (`ll_live_…`) sends real leads; a test key (`ll_test_…`) sends test leads: judged the same way and answered with `\"test\": true`, never billed, alerted or reported, deleted after 7 days.",
        },
        twilioSignature: {
          type: "apiKey",
          in: "header",
          name: "X-Twilio-Signature",
          description: "HMAC-SHA1 of PUBLIC_URL + path + the sorted form parameters with the Twilio auth token, as Twilio signs every webhook.",
        },
        session: { type: "apiKey", in: "cookie", name: "__session", description: "A signed-in console or portal user (same origin only)." },
        metricsToken: { type: "http", scheme: "bearer", description: "METRICS_TOKEN, when set." },
      },
    },
    paths: {
      "/api/v1/leads": {
        post: {
          operationId: "postLead",
          summary: "Send a lead (vendors, server to server)",
          description:
            "Judged at once against the contract in force. Retries with the same `Idempotency-Key` return the first answer (same status and body, `Idempotent-Replayed: true`); the same key with another body is refused. With a test key (`ll_test_…`) the lead is judged the same way and the answer carries `\"test\": true`; nothing is billed or alerted. Limit: 1,200 requests per minute per key.",
          security: [{ apiKey: [] }],
          parameters: [
            { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,200}$" }, description: "1–200 visible ASCII characters; keys are kept per API key" },
          ],
          requestBody: { required: true, content: jsonContent(ref("LeadPayload")) },
          responses: {
            "201": { ...leadAnswer, headers: { ...RATE_LIMIT_HEADERS, "Idempotent-Replayed": { description: "`true` when this is the stored answer to an earlier request with the same key", schema: { type: "string", enum: ["true"] } } } },
            ...errorResponses(
              [
                { status: 400, codes: ["BAD_IDEMPOTENCY_KEY"], why: "Idempotency-Key is not 1–200 visible ASCII characters" },
                { status: 401, codes: ["UNAUTHENTICATED"], why: "no valid API key" },
                ...COMMON_BODY_ERRORS,
                { status: 422, codes: ["IDEMPOTENCY_KEY_REUSED"], why: "the Idempotency-Key was used with another body" },
                { status: 429, codes: ["RATE_LIMITED"], why: "more than 1,200 requests in a minute with this key" },
              ],
              errorRef,
            ),
          },
        },
      },
      "/api/forms/{publicKey}": {
        parameters: [
          {
            name: "publicKey",
            in: "path",
            required: true,
            schema: { type: "string" },
            description: "The form's public key (`pk_…`) from its copy-paste snippet, or the form's test key (`pk_test_…`, made in the console) to send a test lead (`\"test\": true`, never billed or alerted)",
          },
        ],
        post: {
          operationId: "postFormLead",
          summary: "Submit a web form",
          description:
            "A plain HTML form (form-encoded) is answered with 303 to the form's thank-you page (or a thank-you page); `fetch` with JSON (or `Accept: application/json`) gets the lead answer. Only the form's allowed origins may post (checked on `Origin`; `Origin: null` is refused when the form has an allow-list). The consent text, time, address, browser and page are recorded. Limit: 60 per minute per form and visitor address.",
          security: [{}],
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("LeadPayload") }, "application/x-www-form-urlencoded": { schema: ref("LeadPayload") } },
          },
          responses: {
            "201": { ...leadAnswer, headers: RATE_LIMIT_HEADERS },
            "200": { description: "A form posted by a browser without a thank-you page: a thank-you HTML page.", content: { "text/html": { schema: { type: "string" } } } },
            "303": { description: "A form posted by a browser: on to the form's thank-you page.", headers: { Location: { schema: { type: "string", format: "uri" } } } },
            ...errorResponses(
              [
                { status: 403, codes: ["ORIGIN_NOT_ALLOWED"], why: "the page's origin is not on the form's list" },
                { status: 404, codes: ["FORM_NOT_FOUND"], why: "no active form has this key" },
                ...COMMON_BODY_ERRORS,
                { status: 429, codes: ["RATE_LIMITED"], why: "more than 60 submissions a minute from one address" },
              ],
              errorRef,
            ),
          },
        },
        options: {
          operationId: "formPreflight",
          summary: "CORS preflight for a form",
          security: [{}],
          responses: { "204": { description: "With `Access-Control-Allow-Origin` when the Origin is on the form's list." } },
        },
      },
      "/api/v1/leads/{leadId}/conversion": {
        parameters: [{ name: "leadId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        post: {
          operationId: "postConversion",
          summary: "Report a won or lost deal (the client's CRM)",
          description:
            "Charges the contract's acquisition fee and/or revenue share once for a won lead; lost after won appends reversing entries. Repeats change nothing (`changed: false`). Limit: 600 per minute per key.",
          security: [{ apiKey: [] }],
          requestBody: { required: true, content: jsonContent(ref("ConversionInput")) },
          responses: {
            "200": { description: "What changed", headers: RATE_LIMIT_HEADERS, content: jsonContent(ref("ConversionAnswer")) },
            ...errorResponses(
              [
                { status: 401, codes: ["UNAUTHENTICATED"], why: "no valid API key" },
                { status: 403, codes: ["TEST_KEY_NOT_ALLOWED"], why: "a test key (`ll_test_…`) sends test leads only" },
                { status: 404, codes: ["LEAD_NOT_FOUND"], why: "no lead of this key's client has this id" },
                ...COMMON_BODY_ERRORS,
                { status: 422, codes: ["LEAD_NOT_QUALIFIED"], why: "only a qualified lead can be won" },
                { status: 422, codes: ["TEST_LEAD"], why: "a test lead has no outcome" },
                { status: 429, codes: ["RATE_LIMITED"], why: "more than 600 requests in a minute with this key" },
              ],
              errorRef,
            ),
          },
        },
      },
      "/api/dni/{poolKey}": {
        parameters: [{ name: "poolKey", in: "path", required: true, schema: { type: "string" }, description: "The number pool's public key (`dp_…`), from the client's Attribution page in the console" }],
        post: {
          operationId: "reserveNumber",
          summary: "A number from a pool for a visitor (the tracking snippet)",
          description:
            "Called by /t.js from the client's landing pages, on any origin, without cookies. The session keeps its number (reservation extended) or gets the least recently used free one for the pool's reservation time (default 20 minutes); two sessions never hold one number at once. When every number is held, the pool's default number is returned and the overflow counted. Send the JSON as `text/plain` (no CORS preflight) or `application/json`. Limit: 120 per minute per pool and visitor address.",
          security: [{}],
          requestBody: { required: true, content: { "text/plain": { schema: ref("DniRequest") }, "application/json": { schema: ref("DniRequest") } } },
          responses: {
            "200": { description: "The number to show (with `Access-Control-Allow-Origin: *`)", headers: RATE_LIMIT_HEADERS, content: jsonContent(ref("DniAnswer")) },
            ...errorResponses(
              [
                { status: 404, codes: ["NOT_FOUND"], why: "no number pool has this key" },
                ...COMMON_BODY_ERRORS,
                { status: 429, codes: ["RATE_LIMITED"], why: "more than 120 requests a minute from one address for this pool" },
                { status: 503, codes: ["UNAVAILABLE"], why: "no number could be given just now; the page keeps the number it shows" },
              ],
              errorRef,
            ),
          },
        },
        options: {
          operationId: "dniPreflight",
          summary: "CORS preflight for the number pool (any origin, no credentials)",
          security: [{}],
          responses: { "204": { description: "`Access-Control-Allow-Origin: *`, POST, Content-Type." } },
        },
      },
      "/t.js": {
        get: {
          operationId: "trackingSnippet",
          summary: "The tracking snippet for landing pages",
          description:
            "`<script src=\"…/t.js\" data-cookie-days=\"90\" data-pool=\"dp_…\" async></script>`: keeps the visitor's first and last touch (UTM values, click ids, landing page, referrer) in a first-party cookie, adds them to every LeadLedger form on the page (hidden field `ll_attribution`) and to `fetch` posts to /api/forms/…, and shows a pool number in elements marked `data-ll-phone`. The same bytes for every site: cacheable (1 hour, ETag), loadable from any origin.",
          security: [{}],
          responses: { "200": { description: "JavaScript", content: { "text/javascript": { schema: { type: "string" } } } }, "304": { description: "Not modified (If-None-Match)" } },
        },
      },
      "/twilio/voice": {
        post: {
          operationId: "twilioVoice",
          summary: "Twilio: a call to a tracking number (the number's voice URL)",
          security: [{ twilioSignature: [] }],
          requestBody: twilioBody("Twilio's voice request parameters (CallSid, From, To, FromZip, FromState, …)"),
          responses: { "200": twiml("TwiML: the disclosure, then <Dial> to the client's number with whisper and recording"), ...errorResponses(TWILIO_ERRORS, errorRef) },
        },
      },
      "/twilio/voice/whisper": {
        parameters: [
          { name: "campaign", in: "query", schema: { type: "string" } },
          { name: "number", in: "query", schema: { type: "string" } },
          { name: "screen", in: "query", schema: { type: "string" }, description: "The caller's CallSid when the number screens calls" },
        ],
        post: {
          operationId: "twilioWhisper",
          summary: "Twilio: what the client's rep hears before the caller is connected",
          security: [{ twilioSignature: [] }],
          requestBody: twilioBody("Twilio's parameters for the dialled leg"),
          responses: { "200": twiml("TwiML <Say>, or with screening <Gather numDigits=\"1\"> \"Press 1 to accept this lead\" then <Hangup/>"), ...errorResponses(TWILIO_ERRORS, errorRef) },
        },
        get: {
          operationId: "twilioWhisperGet",
          summary: "The same, when the number's URL method is GET",
          security: [{ twilioSignature: [] }],
          responses: { "200": twiml("TwiML <Say>"), ...errorResponses(TWILIO_ERRORS, errorRef) },
        },
      },
      "/twilio/voice/dial-complete": {
        parameters: [{ name: "leg", in: "query", schema: { type: "string", enum: ["fallback"] }, description: "Set on the fallback number's <Dial> action" }],
        post: {
          operationId: "twilioDialComplete",
          summary: "Twilio: the <Dial> action — the call is judged and, when qualified, charged",
          security: [{ twilioSignature: [] }],
          requestBody: twilioBody("DialCallStatus, DialCallDuration, CallSid, …"),
          responses: {
            "200": twiml("TwiML: empty; after a missed call <Dial> to the fallback number, a voicemail <Record>, or <Hangup/>"),
            ...errorResponses(TWILIO_ERRORS, errorRef),
          },
        },
      },
      "/twilio/voice/screen": {
        parameters: [{ name: "call", in: "query", required: true, schema: { type: "string" }, description: "The caller's CallSid" }],
        post: {
          operationId: "twilioScreen",
          summary: "Twilio: the screening <Gather>'s digits from the business's leg (1 accepts the call)",
          security: [{ twilioSignature: [] }],
          requestBody: twilioBody("Digits, CallSid of the business's leg"),
          responses: { "200": twiml("TwiML: empty (connect) or <Hangup/>"), ...errorResponses(TWILIO_ERRORS, errorRef) },
        },
      },
      "/twilio/voice/voicemail-done": {
        post: {
          operationId: "twilioVoicemailDone",
          summary: "Twilio: the voicemail <Record> action",
          security: [{ twilioSignature: [] }],
          requestBody: twilioBody("RecordingSid, RecordingUrl, CallSid"),
          responses: { "200": twiml("TwiML <Hangup/>"), ...errorResponses(TWILIO_ERRORS, errorRef) },
        },
      },
      "/twilio/voice/recording": {
        post: {
          operationId: "twilioRecording",
          summary: "Twilio: recording status callback",
          security: [{ twilioSignature: [] }],
          requestBody: twilioBody("RecordingSid, RecordingUrl, RecordingStatus (completed or absent), RecordingDuration, ErrorCode, CallSid"),
          responses: { "200": twiml("Empty TwiML"), ...errorResponses(TWILIO_ERRORS, errorRef) },
        },
      },
      "/twilio/sms/status": {
        post: {
          operationId: "twilioSmsStatus",
          summary: "Twilio: delivery status of an alert SMS",
          security: [{ twilioSignature: [] }],
          parameters: [{ name: "alertId", in: "query", schema: { type: "string", format: "uuid" }, description: "Set by LeadLedger when it sends" }],
          requestBody: twilioBody("MessageSid, MessageStatus, ErrorCode"),
          responses: {
            "204": { description: "Recorded (or ignored: late, out of order, unknown)" },
            ...errorResponses([{ status: 400, codes: ["VALIDATION_FAILED"], why: "MessageSid or MessageStatus missing" }, ...TWILIO_ERRORS], errorRef),
          },
        },
      },
      "/twilio/sms/inbound": {
        post: {
          operationId: "twilioSmsInbound",
          summary: "Twilio: an SMS to LeadLedger's number (STOP, START, HELP from reps)",
          security: [{ twilioSignature: [] }],
          requestBody: twilioBody("MessageSid, From, Body, OptOutType (Advanced Opt-Out: STOP, START or HELP)"),
          responses: {
            "200": twiml("TwiML; a <Message> reply to HELP only with SMS_HELP_REPLY=true and no Advanced Opt-Out"),
            ...errorResponses([{ status: 400, codes: ["VALIDATION_FAILED"], why: "MessageSid or From missing" }, ...TWILIO_ERRORS], errorRef),
          },
        },
      },
      "/api/disputes/{id}/evidence": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        post: {
          operationId: "uploadDisputeEvidence",
          summary: "Attach a file to a dispute (portal and console, same origin)",
          security: [{ session: [] }],
          requestBody: { required: true, content: { "multipart/form-data": { schema: { type: "object", properties: { file: { type: "string", format: "binary" } }, required: ["file"] } } } },
          responses: {
            "201": { description: "The dispute with its evidence", content: { "application/json": { schema: { type: "object" } } } },
            ...errorResponses(
              [
                { status: 401, codes: ["UNAUTHENTICATED"], why: "not signed in" },
                { status: 403, codes: ["CROSS_SITE_REQUEST", "FORBIDDEN"], why: "another origin, or not allowed" },
                { status: 404, codes: ["NOT_FOUND"], why: "no such dispute for this user" },
                { status: 413, codes: ["PAYLOAD_TOO_LARGE"], why: "larger than 5 MB" },
                { status: 422, codes: ["VALIDATION_FAILED"], why: "not a PDF, PNG, JPEG or text file" },
              ],
              errorRef,
            ),
          },
        },
        get: {
          operationId: "downloadDisputeEvidence",
          summary: "A dispute's evidence file (served with a sandbox CSP; PDFs as downloads)",
          security: [{ session: [] }],
          parameters: [{ name: "file", in: "query", schema: { type: "string" } }],
          responses: { "200": { description: "The file" }, ...errorResponses([{ status: 401, codes: ["UNAUTHENTICATED"], why: "not signed in" }, { status: 404, codes: ["NOT_FOUND"], why: "no such file for this user" }], errorRef) },
        },
      },
      "/recordings/{leadId}": {
        parameters: [{ name: "leadId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        get: {
          operationId: "callRecording",
          summary: "A call lead's recording, streamed through LeadLedger",
          security: [{ session: [] }],
          responses: {
            "200": { description: "Audio", content: { "audio/mpeg": { schema: { type: "string", format: "binary" } } } },
            ...errorResponses(
              [
                { status: 401, codes: ["UNAUTHENTICATED"], why: "not signed in" },
                { status: 404, codes: ["NOT_FOUND"], why: "no such lead or recording for this user" },
                { status: 502, codes: ["RECORDING_UNAVAILABLE"], why: "Twilio did not answer" },
                { status: 503, codes: ["TWILIO_NOT_CONFIGURED"], why: "no Twilio credentials" },
              ],
              errorRef,
            ),
          },
        },
      },
      "/api/openapi.json": {
        get: { operationId: "openApi", summary: "This description", security: [{}], responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } } } },
      },
      "/healthz": {
        get: {
          operationId: "health",
          summary: "Liveness: the process and its database answer",
          security: [{}],
          responses: { "200": { description: "Alive", content: jsonContent(schemaOf(healthSchema, "output", schemas)) }, "503": { description: "The database does not answer", content: jsonContent(schemaOf(healthSchema, "output", schemas)) } },
        },
      },
      "/readyz": {
        get: {
          operationId: "readiness",
          summary: "Readiness: migrations ran and, with jobs, the outbox listener is up",
          security: [{}],
          responses: { "200": { description: "Ready", content: jsonContent(schemaOf(readinessSchema, "output", schemas)) }, "503": { description: "Not ready yet", content: jsonContent(schemaOf(readinessSchema, "output", schemas)) } },
        },
      },
      "/metrics": {
        get: {
          operationId: "metrics",
          summary: "Prometheus metrics",
          security: [{ metricsToken: [] }],
          responses: {
            "200": { description: "Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } },
            ...errorResponses([{ status: 401, codes: ["UNAUTHENTICATED"], why: "METRICS_TOKEN is set and was not sent" }, { status: 404, codes: ["METRICS_DISABLED"], why: "production without METRICS_TOKEN" }], errorRef),
          },
        },
      },
    },
  };
}
