import { z } from "zod";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .transform((s) => (s === "" ? null : s))
    .nullable()
    .optional();

export const CAMPAIGN_STATUSES = ["active", "paused", "archived"] as const;

const attribution = {
  /** Where the traffic comes from, e.g. "google_ads", "facebook", "seo", "direct_mail". */
  channel: optionalText(60),
  utmSource: optionalText(200),
  utmMedium: optionalText(200),
  utmCampaign: optionalText(200),
};

export const createCampaignInput = z.object({
  clientId: z.uuid(),
  name: z.string().trim().min(2, "must be at least 2 characters").max(120),
  ...attribution,
  status: z.enum(CAMPAIGN_STATUSES).default("active"),
});
export type CreateCampaignInput = z.input<typeof createCampaignInput>;

export const updateCampaignInput = z.object({
  id: z.uuid(),
  name: z.string().trim().min(2, "must be at least 2 characters").max(120).optional(),
  ...attribution,
  status: z.enum(CAMPAIGN_STATUSES).optional(),
});
export type UpdateCampaignInput = z.input<typeof updateCampaignInput>;

export const listCampaignsInput = z
  .object({
    /** Agency staff: the client to list (required). Client users: their own client (another id is not found). */
    clientId: z.uuid().optional(),
    includeArchived: z.boolean().default(false),
  })
  .default({ includeArchived: false });
export type ListCampaignsInput = z.input<typeof listCampaignsInput>;
