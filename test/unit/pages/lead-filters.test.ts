import { leadFilterInput } from "../../../app/lib/lead-filters";

describe("the inbox's attribution filters", () => {
  it("reads ad source, medium, ad campaign and keyword from the query string, trimmed and capped", () => {
    const input = leadFilterInput(new URL(`http://x/agency/leads?utm_source=google&utm_medium=cpc&utm_campaign=roof-repair-nyc&keyword=${"k".repeat(300)}`));
    expect(input).toMatchObject({ utmSource: "google", utmMedium: "cpc", utmCampaign: "roof-repair-nyc" });
    expect((input as { utmTerm?: string }).utmTerm).toHaveLength(200);
  });

  it("leaves out empty ones, so the list is not filtered by them", () => {
    const input = leadFilterInput(new URL("http://x/agency/leads?utm_source=&keyword=%20"));
    expect(input).not.toHaveProperty("utmSource");
    expect(input).not.toHaveProperty("utmTerm");
  });
});
