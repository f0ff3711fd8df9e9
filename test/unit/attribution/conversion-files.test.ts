import { conversionTime, conversionValue, googleAdsFile, microsoftAdsFile, genericConversionsFile, type Conversion } from "../../../server/domain/attribution/conversion-files";

const base: Conversion = {
  leadId: "00000000-0000-4000-8000-000000000001",
  wonAt: new Date("2026-12-02T19:05:09Z"),
  valueCents: 125050,
  gclid: "Cj0KCQiA-test_1",
  gbraid: null,
  wbraid: null,
  msclkid: null,
  fbclid: null,
  ttclid: null,
  utmSource: "google",
  utmMedium: "cpc",
  utmCampaign: "roof-repair-nyc",
  utmTerm: "emergency roof repair",
  utmContent: null,
  landingPage: "https://roofs.example/roof-repair",
  referrer: null,
  firstTouchAt: "2026-11-28T15:00:00.000Z",
  receivedAt: new Date("2026-12-01T14:00:00Z"),
  leadSource: "form",
  campaignName: "Google Search",
  exportedBefore: false,
};

describe("the Google Ads offline conversion file", () => {
  it("has the exact bytes Google's import format expects for a fixed set of conversions", () => {
    const file = googleAdsFile(
      [
        base,
        { ...base, leadId: "2", gclid: null, gbraid: "GB_1", wonAt: new Date("2026-07-04T03:00:00Z"), valueCents: 5 },
        { ...base, leadId: "3", gclid: null, wbraid: "WB,1", valueCents: null },
        { ...base, leadId: "4", gclid: "G4", gbraid: "ignored", valueCents: 100000000 },
        { ...base, leadId: "5", gclid: null, msclkid: "only-microsoft" },
      ],
      { timezone: "America/New_York", currency: "USD", conversionName: 'Closed "won" deal' },
    );
    expect(file).toBe(
      "Parameters:TimeZone=America/New_York\r\n" +
        "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency,GBRAID,WBRAID\r\n" +
        'Cj0KCQiA-test_1,"Closed ""won"" deal",2026-12-02 14:05:09,1250.50,USD,,\r\n' +
        ',"Closed ""won"" deal",2026-07-03 23:00:00,0.05,USD,GB_1,\r\n' +
        ',"Closed ""won"" deal",2026-12-02 14:05:09,,USD,,"WB,1"\r\n' +
        'G4,"Closed ""won"" deal",2026-12-02 14:05:09,1000000.00,USD,,\r\n',
    );
  });

  it("writes times in the client's zone across daylight saving and values without grouping", () => {
    expect(conversionTime(new Date("2026-03-08T07:30:00Z"), "America/New_York")).toBe("2026-03-08 03:30:00");
    expect(conversionTime(new Date("2026-12-31T23:59:59Z"), "Europe/Berlin")).toBe("2027-01-01 00:59:59");
    expect(conversionValue(123456789, "USD")).toBe("1234567.89");
    expect(conversionValue(1250, "JPY")).toBe("1250");
    expect(conversionValue(0, "EUR")).toBe("0.00");
  });
});

describe("the other files", () => {
  it("Microsoft Ads: msclkid rows only, same layout", () => {
    const file = microsoftAdsFile([base, { ...base, msclkid: "ms-1", valueCents: 9900 }], { timezone: "America/Chicago", currency: "USD", conversionName: "Won" });
    expect(file).toBe("Parameters:TimeZone=America/Chicago\r\nMicrosoft Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency\r\nms-1,Won,2026-12-02 13:05:09,99.00,USD\r\n");
  });

  it("the generic CSV lists every won lead with its attribution and guards against formulas", () => {
    const file = genericConversionsFile([{ ...base, utmCampaign: "=HYPERLINK(1)", exportedBefore: true }], { timezone: "America/New_York", currency: "USD", conversionName: "x" });
    const [header, row] = file.trimEnd().split("\r\n");
    expect(header).toContain("lead_id,won_at,value,currency,source,utm_source");
    expect(row).toContain("'=HYPERLINK(1)");
    expect(row).toContain("Google Ads");
    expect(row!.endsWith(",yes")).toBe(true);
  });
});
