import { z } from "zod";
import { EMAIL_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from "./events";

/** Inputs of the webhook and e-mail notification procedures (tRPC, CLI and pages share them). */

/** Agency staff name the client; for client users it is ignored (their own client always wins). */
const clientIdOpt = z.uuid().optional();

const path = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, "must be a dotted path such as data.lead.contact.phone");

/**
 * Optional per-endpoint reshaping of the body: `rename` moves a value from one dotted path to another
 * (a CRM that wants `first_name` gets it), `constants` sets fixed values.
 */
export const fieldMappingSchema = z.object({
  rename: z.array(z.object({ from: path, to: path })).max(100).default([]),
  constants: z.record(path, z.union([z.string().max(500), z.number(), z.boolean(), z.null()])).default({}),
});
export type FieldMapping = z.output<typeof fieldMappingSchema>;

const events = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, "choose at least one event").max(WEBHOOK_EVENT_TYPES.length);

export const createEndpointInput = z.object({
  clientId: clientIdOpt,
  url: z.string().trim().min(1, "is required").max(2_000),
  events: events.default([...WEBHOOK_EVENT_TYPES]),
  description: z.string().trim().max(200).optional(),
  enabled: z.boolean().default(true),
  fieldMapping: fieldMappingSchema.nullable().default(null),
});
export type CreateEndpointInput = z.input<typeof createEndpointInput>;

export const updateEndpointInput = z.object({
  id: z.uuid(),
  url: z.string().trim().min(1).max(2_000).optional(),
  events: events.optional(),
  description: z.string().trim().max(200).nullable().optional(),
  enabled: z.boolean().optional(),
  fieldMapping: fieldMappingSchema.nullable().optional(),
});
export type UpdateEndpointInput = z.input<typeof updateEndpointInput>;

export const listEndpointsInput = z.object({ clientId: clientIdOpt }).default({});
export type ListEndpointsInput = z.input<typeof listEndpointsInput>;

export const idInput = z.object({ id: z.uuid() });

export const listDeliveriesInput = z.object({
  endpointId: z.uuid().optional(),
  leadId: z.uuid().optional(),
  clientId: clientIdOpt,
  status: z.enum(["pending", "sending", "delivered", "failed"]).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListDeliveriesInput = z.input<typeof listDeliveriesInput>;

export const replayFailedInput = z.object({
  endpointId: z.uuid(),
  from: z.coerce.date(),
  to: z.coerce.date(),
});
export type ReplayFailedInput = z.input<typeof replayFailedInput>;

export const createEmailRecipientInput = z.object({
  clientId: clientIdOpt,
  email: z.email().max(320),
  events: z.array(z.enum(EMAIL_EVENT_TYPES)).min(1, "choose at least one event").default([...EMAIL_EVENT_TYPES]),
});
export type CreateEmailRecipientInput = z.input<typeof createEmailRecipientInput>;

export const listEmailsInput = z.object({ clientId: clientIdOpt, limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 });
export type ListEmailsInput = z.input<typeof listEmailsInput>;
