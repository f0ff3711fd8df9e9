import { randomBytes } from "node:crypto";
import type { Deps } from "./deps";
import type { Actor } from "./domain/auth/roles";

export interface SeededLogin {
  role: string;
  email: string;
  password: string;
  client?: string;
}

export interface SeededSource {
  client: string;
  formKey: string;
  apiKey: string;
  trackingNumber: string;
}

export interface SeedResult {
  logins: SeededLogin[];
  sources: SeededSource[];
  /** False when only the first agency admin was created (SEED_DEMO off, the production default). */
  demo: boolean;
}

const SEED_ACTOR: Actor = { kind: "system", label: "seed" };

function randomPassword(): string {
  return randomBytes(12).toString("base64url");
}

/**
 * Demo data for a first start on an empty database: an agency admin and two demo clients with a
 * client admin each. Returns the logins to print, or null when the database already has users.
 */
/**
 * Seeds an empty database once, even when several processes start at the same moment: the check
 * and the seeding run under a session advisory lock, so the second process finds the users.
 */
export async function seedIfEmpty(deps: Deps): Promise<SeedResult | null> {
  return deps.platform.seeding.underLock(() => seedUnlocked(deps));
}

async function seedUnlocked(deps: Deps): Promise<SeedResult | null> {
  if (await deps.platform.seeding.hasUsers()) return null;
  const adminPassword = deps.config.SEED_ADMIN_PASSWORD ?? randomPassword();
  const logins: SeededLogin[] = [];
  const admin = await deps.users.create(SEED_ACTOR, { email: deps.config.SEED_ADMIN_EMAIL, name: "Agency Admin", password: padPassword(adminPassword), role: "agency_admin" });
  logins.push({ role: "agency_admin", email: deps.config.SEED_ADMIN_EMAIL, password: padPassword(adminPassword) });
  const agency: Actor = { kind: "agency", userId: admin.id, email: admin.email, role: "agency_admin" };

  const sources: SeededSource[] = [];
  if (!deps.config.seedDemo) return { logins, sources, demo: false };
  for (const d of DEMO_CLIENTS) {
    const created = await deps.clients.create(SEED_ACTOR, { name: d.name, timezone: d.timezone });
    // Bill-to details, so the demo's invoices read like a real business's.
    const client = await deps.clients.update(SEED_ACTOR, { id: created.id, legalName: `${d.name} LLC`, billingAddress: d.address, paymentTermsDays: 15 });
    const password = deps.config.SEED_ADMIN_PASSWORD ? padPassword(deps.config.SEED_ADMIN_PASSWORD) : randomPassword();
    await deps.users.create(SEED_ACTOR, { email: d.email, name: `${d.name} admin`, password, role: "client_admin", clientId: client.id });
    logins.push({ role: "client_admin", email: d.email, password, client: d.name });
    sources.push(await seedClientSetup(deps, agency, client.id, d));
  }
  return { logins, sources, demo: true };
}

interface DemoClient {
  name: string;
  timezone: string;
  email: string;
  zips: string[];
  state: string;
  trackingNumber: string;
  forwardTo: string;
  /** Postal address for invoices, one line per "\n". */
  address: string;
  reps: { name: string; phone: string }[];
}

/** Two demo businesses with contracts, a form, an API key, a tracking number and two sales reps each. */
export const DEMO_CLIENTS: DemoClient[] = [
  {
    name: "Brooklyn Roofing Co",
    timezone: "America/New_York",
    email: "owner@brooklynroofing.demo",
    zips: ["11201", "11203", "11205", "11206", "11211", "11215", "11217", "11222", "11231", "11238"],
    state: "NY",
    address: "214 Court St\nBrooklyn, NY 11201",
    trackingNumber: "+17185550101",
    forwardTo: "+17185550199",
    reps: [
      { name: "Maria (sales)", phone: "+17185550111" },
      { name: "Dev (sales)", phone: "+17185550112" },
    ],
  },
  {
    name: "Bay Area HVAC Pros",
    timezone: "America/Los_Angeles",
    email: "owner@bayareahvac.demo",
    zips: ["94103", "94107", "94110", "94114", "94117", "94121", "94122", "94601", "94606", "94610"],
    state: "CA",
    address: "1440 Mission St\nSan Francisco, CA 94103",
    trackingNumber: "+14155550101",
    forwardTo: "+14155550199",
    reps: [
      { name: "Sam (dispatch)", phone: "+14155550111" },
      { name: "Lee (sales)", phone: "+14155550112" },
    ],
  },
];

async function seedClientSetup(deps: Deps, agency: Actor, clientId: string, d: DemoClient): Promise<SeededSource> {
  await deps.contracts.publish(agency, {
    clientId,
    document: {
      effectiveFrom: new Date(Date.UTC(2020, 0, 1)).toISOString(),
      qualification: {
        requiredFields: ["phone", "zip"],
        serviceArea: { match: "zip_or_state", zips: d.zips, states: [d.state] },
        minCallSeconds: 90,
        duplicate: { windowDays: 30, fields: ["phone", "email"] },
        blocked: { emailDomains: ["mailinator.com"] },
        custom: [{ field: "budget", op: "min", value: 2000 }],
        // Intake checks (decision 021): junk is rejected with the reason in words, not billed.
        signals: [
          { signal: "email.disposable", op: "equals", value: false },
          { signal: "phone.valid", op: "equals", value: true },
          { signal: "phone.lineType", op: "not_in", value: ["tollFree", "premium"] },
          { signal: "velocity.ipPerHour", op: "max", value: 5 },
        ],
      },
      pricing: {
        retainerCents: 50_000,
        tiers: [
          { upTo: 100, priceCents: 7_500 },
          { upTo: null, priceCents: 6_000 },
        ],
        acquisitionPriceCents: 20_000,
        revshareBps: 1_000,
        monthlyCap: { leads: 200 },
      },
      disputes: {
        windowDays: 7,
        autoApprove: ["duplicate"],
        agencyResponseDays: 3,
        maxReturnRateBps: 2_000,
        approveOnSignals: [{ reason: "wrong_number", when: { signal: "phone.lineType", op: "equals", value: "nonFixedVoip" } }],
      },
    },
  });
  const campaign = await deps.campaigns.create(agency, { clientId, name: "Google Search - Free estimate", channel: "paid_search", utmSource: "google", utmMedium: "cpc" });
  const form = await deps.forms.create(agency, {
    campaignId: campaign.id,
    name: "Free estimate landing page",
    consentText: `By submitting, I agree that ${d.name} may call or text me about my request.`,
  });
  const key = await deps.apiKeys.create(agency, { clientId, name: "Demo lead vendor" });
  await deps.trackingNumbers.create(agency, { campaignId: campaign.id, phoneNumber: d.trackingNumber, forwardTo: d.forwardTo, record: true });
  // A pool of four more numbers for the landing pages' snippet (decision 022); the main number is its default.
  const pooled = [];
  for (let i = 1; i <= 4; i++) {
    pooled.push(await deps.trackingNumbers.create(agency, { campaignId: campaign.id, phoneNumber: d.trackingNumber.replace(/\d{2}$/, `2${i}`), forwardTo: d.forwardTo, record: true }));
  }
  await deps.attribution.createPool(agency, { campaignId: campaign.id, name: "Landing pages", defaultNumber: d.trackingNumber, trackingNumberIds: pooled.map((n) => n.id) });
  for (const rep of d.reps) await deps.alertRecipients.create(agency, { clientId, name: rep.name, phone: rep.phone });
  return { client: d.name, formKey: form.publicKey, apiKey: key.key, trackingNumber: d.trackingNumber };
}

/** Passwords need 10+ characters; a shorter SEED_ADMIN_PASSWORD (8+) is used as given plus padding. */
function padPassword(p: string): string {
  return p.length >= 10 ? p : p.padEnd(10, "!");
}
