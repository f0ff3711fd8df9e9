import { dateTimeZoned, leadLabel, shortName, times, titleCase } from "~/lib/format";
import { filterQuery, isFiltered, leadFilterInput } from "~/lib/lead-filters";

describe("names, leads and times in words", () => {
  it.each([
    ["SMITH ANN", "Smith Ann"],
    ["mary o'neil-jones", "Mary O'Neil-Jones"],
    ["Ann McDonald", "Ann McDonald"],
    ["  ann   smith ", "Ann Smith"],
    ["", ""],
  ])("writes the caller name %j as %j", (raw, want) => {
    expect(titleCase(raw)).toBe(want);
  });

  it("names a lead by its day and a short name, or its phone without one", () => {
    expect(shortName("ANN SMITH")).toBe("Ann S.");
    expect(leadLabel({ name: "Ann Smith", receivedAt: "2026-11-29T03:00:00Z" }, "America/New_York")).toBe("lead from Nov 28, Ann S.");
    expect(leadLabel({ name: null, phone: "+12125550142", receivedAt: "2026-11-29T03:00:00Z" }, "UTC")).toBe("lead from Nov 29, (212) 555-0142");
  });

  it("labels a time with its zone, standard or daylight", () => {
    expect(dateTimeZoned("2027-01-01T05:00:00Z", "America/New_York")).toBe("Jan 1, 2027, 12:00 AM EST");
    expect(dateTimeZoned("2026-07-01T15:40:00Z", "America/Los_Angeles")).toBe("Jul 1, 2026, 8:40 AM PDT");
  });

  it("writes a return in basis points as a multiple", () => {
    expect([times(320_000), times(15_000), times(0), times(null)]).toEqual(["32×", "1.5×", "0×", "—"]);
  });
});

describe("the leads inbox's filters from the query string", () => {
  it("keeps known values and drops malformed ones", () => {
    const url = new URL("http://x/portal/leads?status=qualified&outcome=none&disputed=yes&from=2026-02-30&to=2026-03-10&campaignId=nope&source=fax&q=%20ann%20&cursor=abc");
    expect(leadFilterInput(url)).toEqual({ test: false, status: "qualified", outcome: "none", disputed: true, toDate: "2026-03-10", q: "ann", cursor: "abc", limit: 25 });
  });

  it("knows when a filter is set and carries the filters, not the page, to the CSV link", () => {
    const params = new URLSearchParams("outcome=won&cursor=abc&test=1");
    expect(isFiltered(params)).toBe(true);
    expect(isFiltered(new URLSearchParams("cursor=abc&test=1"))).toBe(false);
    expect(filterQuery(params)).toBe("?outcome=won&test=1");
  });
});
