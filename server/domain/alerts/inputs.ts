import { z } from "zod";
import { activeHoursSchema } from "./routing";
import { ALERT_STATUSES } from "./status";

/** Inputs of the alert procedures (tRPC, CLI, portal forms share them). */

/** Agency staff name the client; for client users it is ignored (their own client always wins). */
const clientIdOpt = z.uuid().optional();

export const listRecipientsInput = z.object({ clientId: clientIdOpt }).default({});
export type ListRecipientsInput = z.input<typeof listRecipientsInput>;

const name = z.string().trim().min(1, "is required").max(80);
const phone = z.string().trim().min(3, "is required").max(40);

export const createRecipientInput = z.object({
  clientId: clientIdOpt,
  name,
  /** Any format the client's country understands; stored as E.164. */
  phone,
  active: z.boolean().default(true),
  /** Same shape as the contract's businessHours, in the client's time zone; null = always on duty. */
  activeHours: activeHoursSchema.nullable().default(null),
});
export type CreateRecipientInput = z.input<typeof createRecipientInput>;

export const updateRecipientInput = z.object({
  id: z.uuid(),
  name: name.optional(),
  phone: phone.optional(),
  active: z.boolean().optional(),
  activeHours: activeHoursSchema.nullable().optional(),
});
export type UpdateRecipientInput = z.input<typeof updateRecipientInput>;

export const removeRecipientInput = z.object({ id: z.uuid() });

export const alertSettingsInput = z.object({ clientId: clientIdOpt }).default({});
export type AlertSettingsInput = z.input<typeof alertSettingsInput>;

export const updateAlertSettingsInput = z.object({
  clientId: clientIdOpt,
  routing: z.enum(["everyone", "round_robin"]).optional(),
  /** null restores the default template. */
  template: z.string().max(1000).nullable().optional(),
});
export type UpdateAlertSettingsInput = z.input<typeof updateAlertSettingsInput>;

export const listAlertsInput = z
  .object({
    clientId: clientIdOpt,
    status: z.enum(ALERT_STATUSES).optional(),
    leadId: z.uuid().optional(),
    /** alerts.page: the cursor of the page before. */
    cursor: z.string().max(300).optional(),
    limit: z.number().int().min(1).max(200).default(100),
  })
  .default({ limit: 100 });
export type ListAlertsInput = z.input<typeof listAlertsInput>;

export const speedToLeadInput = z
  .object({
    clientId: clientIdOpt,
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .default({});
export type SpeedToLeadInput = z.input<typeof speedToLeadInput>;
