import { z } from "zod";
import { REASON_CODES } from "../domain/qualification/verdict";

/**
 * The shapes the public REST routes answer with, as zod schemas: the OpenAPI description
 * (openapi.ts) is generated from them and from the request schemas the routes parse with, and the
 * API tests check real answers against that description.
 */

export const issueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])).describe("Where in the request body, e.g. [\"phone\"]"),
  message: z.string(),
});

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe("Stable machine-readable code, e.g. VALIDATION_FAILED, UNAUTHENTICATED, RATE_LIMITED"),
      message: z.string().describe("One sentence for a person"),
      issues: z.array(issueSchema).optional(),
    }),
  })
  .meta({ id: "Error" });

export const verdictReasonSchema = z
  .object({
    code: z.enum(REASON_CODES),
    rule: z.string().describe('The contract rule, as a path into the contract document, e.g. "qualification.serviceArea"'),
    message: z.string().describe('One sentence a client can read: "ZIP 94105 (San Francisco, CA) is outside the service area (10001–10005)"'),
    observed: z.unknown().describe("What the lead had"),
    expected: z.unknown().describe("What the rule asks for"),
    effect: z.enum(["reject", "info"]).describe("reject: the lead is not qualified; info: it is, but e.g. past the monthly cap and not billed"),
  })
  .meta({ id: "VerdictReason" });

export const leadAnswerSchema = z
  .object({
    leadId: z.uuid(),
    status: z.enum(["received", "qualified", "rejected"]).describe("received: stored, but the client has no contract in force yet to judge it"),
    billable: z.boolean().describe("The lead is charged to the client; always false for a test lead"),
    reasons: z.array(verdictReasonSchema),
    test: z
      .literal(true)
      .optional()
      .describe("Present on test leads only (sent with a test API key `ll_test_…` or a form's test key): judged exactly as a real lead, but never billed, alerted or reported, and deleted after 7 days"),
    quality: z
      .object({
        score: z.number().int().min(0).max(100),
        band: z.enum(["good", "fair", "poor"]).describe("good 80–100, fair 50–79, poor 0–49"),
        summary: z.string().describe('The intake checks in words: "Phone: mobile, Verizon Wireless · E-mail: ok · IP: New York, NY, matches the ZIP"'),
      })
      .optional()
      .describe("The quality score from the intake checks (phone line type, e-mail, IP location, velocity, consent certificate), when they ran"),
  })
  .meta({ id: "LeadAnswer" });

export const conversionAnswerSchema = z
  .object({
    leadId: z.uuid(),
    outcome: z.enum(["won", "lost"]),
    valueCents: z.number().int().nullable(),
    outcomeAt: z.iso.datetime({ offset: true }).nullable(),
    changed: z.boolean().describe("False when the request repeated the current outcome: nothing was written"),
    entries: z.array(z.object({ id: z.uuid(), kind: z.string(), amountCents: z.number().int(), idempotencyKey: z.string() })).describe("Ledger entries this call appended"),
  })
  .meta({ id: "ConversionAnswer" });

export const dniAnswerSchema = z
  .object({
    number: z.string().describe("E.164, for a tel: link"),
    display: z.string().describe("The number as people write it, e.g. (212) 555-0100"),
    pooled: z.boolean().describe("false: every pool number is held by another visitor, so this is the pool's default number (the overflow is counted)"),
    expiresIn: z.number().int().nullable().describe("Seconds until this visitor's reservation ends unless the page asks again; null for the default number"),
  })
  .meta({ id: "DniAnswer" });

export const healthSchema = z.object({ status: z.enum(["ok", "unavailable"]), error: errorBodySchema.shape.error.optional() });
export const readinessSchema = z.object({ status: z.enum(["ready", "not_ready"]), checks: z.record(z.string(), z.boolean()), error: errorBodySchema.shape.error.optional() });
