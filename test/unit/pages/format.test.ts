import { previewAlert } from "~/components/alert-recipients";
import { calendarDate, money, reasonLabel } from "~/lib/format";
import { formatCents } from "../../../server/domain/money-format";
import { MAX_ALERT_LENGTH, validateAlertTemplate, worstCaseLength } from "../../../server/domain/alerts/template";
import { REASON_CODES } from "../../../server/domain/qualification/verdict";

describe("page display helpers share the server's", () => {
  it("writes money as the server does, with a typographic minus and a dash for no amount", () => {
    expect(money(125006)).toBe("$1,250.06");
    expect(money(-7500)).toBe("−$75.00");
    expect(money(0)).toBe("$0.00");
    expect(money(null)).toBe("—");
    expect(money(undefined, "EUR")).toBe("—");
    for (const [cents, cur] of [[990, "EUR"], [100, "CHF"], [125006, "JPY"], [-500, "GBP"]] as const) {
      expect(money(cents, cur)).toBe(formatCents(cents, cur).replace(/^-/, "−"));
    }
  });

  it("has words for every reason code and keeps an unknown code as it is", () => {
    for (const code of REASON_CODES) expect(reasonLabel(code)).not.toBe(code);
    expect(reasonLabel("SOMETHING_NEW")).toBe("SOMETHING_NEW");
  });

  it("previews an alert template with the server's worst case, so the page and the save agree", () => {
    const url = "https://leads.example.com/";
    const long = `{name} {campaign} {name} {campaign} {phone} {zip} {source} ${"x".repeat(90)} {link}`;
    for (const t of ["New lead: {name} {phone} ({source}, {campaign}, ZIP {zip}). Details: {link}", long, "{nope} {link}", "no link"]) {
      const pv = previewAlert(t, url);
      expect(pv.longest).toBe(worstCaseLength(t, url));
      const tooLong = validateAlertTemplate(t, url).some((i) => i.message.includes(`within ${MAX_ALERT_LENGTH}`));
      expect(pv.longest > MAX_ALERT_LENGTH).toBe(tooLong);
    }
    const pv = previewAlert("Hi {name} ({source}) {zip} {nope} {link}", url);
    expect(pv.text).toBe("Hi Jane Doe (form) 10001 {nope} https://leads.example.com/r/xxxxxxxxxxxxxxxxxxxxxx");
    expect(pv.unknown).toEqual(["nope"]);
    expect(pv.hasLink).toBe(true);
    // The page's segment count is the server's, for the example and for the longest lead.
    // "{" and "}" (left in by the unknown {nope}) are GSM-7 extension characters: two septets each.
    expect(pv.segments).toMatchObject({ encoding: "GSM-7", segments: 1, units: pv.text.length + 2, extended: ["{", "}"] });
    expect(previewAlert("Neuer Lead – {name} {link}", url).segments).toMatchObject({ encoding: "UCS-2", nonGsm: ["–"] });
  });
});

describe("calendarDate", () => {
  it("gives the day in the named zone, not the server's", () => {
    // 03:30 UTC on Dec 1 is still Nov 30 in New York and already Dec 1 in Auckland.
    expect(calendarDate("2026-12-01T03:30:00Z", "America/New_York")).toBe("2026-11-30");
    expect(calendarDate(new Date("2026-12-01T03:30:00Z"), "Pacific/Auckland")).toBe("2026-12-01");
  });
});
