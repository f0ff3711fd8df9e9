import {
  DEFAULT_ALERT_TEMPLATE,
  FIELD_LIMITS,
  MAX_ALERT_LENGTH,
  describeSegments,
  maskRepLinks,
  renderAlert,
  repLink,
  smsSegments,
  truncateSafely,
  validateAlertTemplate,
  worstCaseLength,
  type AlertLeadValues,
} from "../../../server/domain/alerts/template";

const URL = "https://leads.example.com";
const TOKEN = "AbCdEfGhIjKlMnOpQrStUv";
const LEAD: AlertLeadValues = {
  leadId: "5b0f3a52-1c1e-4d2b-9a55-0d6f0e2c9a11",
  name: "Ann Smith",
  phone: "+12125550142",
  source: "form",
  campaign: "Google Search - Roof repair",
  zip: "10001",
};

describe("alert text rendering", () => {
  it("fills every placeholder of the default template, with the rep's own link to the lead card", () => {
    expect(renderAlert(null, LEAD, URL, TOKEN)).toBe(
      "New lead: Ann Smith +12125550142 (form, Google Search - Roof repair, ZIP 10001). Details: https://leads.example.com/r/AbCdEfGhIjKlMnOpQrStUv",
    );
  });

  it("writes typographic dashes, quotes and ellipses in lead values as GSM-7 look-alikes, so the demo campaign's en dash costs no second segment", () => {
    const text = renderAlert(null, { ...LEAD, name: "Ann “Annie” O’Neil", campaign: "Google Search – Free estimate…" }, "http://localhost:3000", TOKEN);
    expect(text).toContain(`Ann "Annie" O'Neil`);
    expect(text).toContain("Google Search - Free estimate...");
    expect(smsSegments(text)).toMatchObject({ encoding: "GSM-7", segments: 1 });
  });

  it("uses the client's template and shows a dash for values the lead does not have", () => {
    const text = renderAlert("{name} / {phone} / {zip} via {source}: {link}", { ...LEAD, name: null, zip: "  ", source: "api" }, `${URL}/`, TOKEN);
    expect(text).toBe(`- / +12125550142 / - via API: ${repLink(URL, TOKEN)}`);
  });

  it("cuts a very long name on a character boundary with an ellipsis, never splitting an emoji", () => {
    const name = "😀".repeat(30); // 60 UTF-16 units
    const text = renderAlert("{name} {link}", { ...LEAD, name }, URL, TOKEN);
    const rendered = text.split(" ")[0]!;
    expect(rendered.length).toBeLessThanOrEqual(FIELD_LIMITS.name);
    expect(rendered.endsWith("...")).toBe(true);
    expect(rendered).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no lone high surrogate
  });

  it("flattens line breaks and control characters in lead values so one lead cannot reshape the message", () => {
    const text = renderAlert("{name}|{campaign}|{link}", { ...LEAD, name: "Ann\r\n\tSmith\u0000", campaign: "Roofs\u2028Now" }, URL, TOKEN);
    expect(text.startsWith("Ann Smith|Roofs Now|")).toBe(true);
  });

  it("keeps every rendered text within 320 characters whatever the lead looks like", () => {
    const longest = { ...LEAD, name: "N".repeat(500), campaign: "C".repeat(500), zip: "9".repeat(50), phone: "+1".padEnd(40, "2") };
    expect(renderAlert(DEFAULT_ALERT_TEMPLATE, longest, URL, TOKEN).length).toBeLessThanOrEqual(MAX_ALERT_LENGTH);
  });

  it("falls back to the default template when a saved one no longer fits (PUBLIC_URL grew)", () => {
    const saved = `${"x".repeat(200)} {link}`;
    const text = renderAlert(saved, LEAD, `https://${"a".repeat(150)}.example.com`, TOKEN);
    expect(text.startsWith("New lead: Ann Smith")).toBe(true);
  });

  it("appends the link to a stored template that lacks it, so every alert names its lead", () => {
    expect(renderAlert("New lead {name}", LEAD, URL, TOKEN)).toBe(`New lead Ann Smith ${repLink(URL, TOKEN)}`);
  });

  it("truncates on code points", () => {
    expect(truncateSafely("abcdef", 6)).toBe("abcdef");
    expect(truncateSafely("abcdefg", 6)).toBe("abc...");
    expect(truncateSafely("ab😀😀c", 6)).toBe("ab...");
    expect(truncateSafely("😀😀😀😀", 7)).toBe("😀😀...");
  });
});

describe("alert template validation", () => {
  it("accepts the default template and reports its worst case within the limit", () => {
    expect(validateAlertTemplate(DEFAULT_ALERT_TEMPLATE, URL)).toEqual([]);
    expect(worstCaseLength(DEFAULT_ALERT_TEMPLATE, URL)).toBeLessThanOrEqual(MAX_ALERT_LENGTH);
  });

  it("names unknown placeholders", () => {
    const issues = validateAlertTemplate("Lead {name} {budget} {Name} {link}", URL);
    expect(issues).toEqual([expect.objectContaining({ path: ["template"], message: expect.stringContaining("{budget}, {Name}") })]);
  });

  it("refuses a template whose longest rendering passes 320 characters, saying by how much", () => {
    const template = `${"x".repeat(200)} {name} {campaign} {link}`;
    const worst = worstCaseLength(template, URL);
    expect(worst).toBeGreaterThan(MAX_ALERT_LENGTH);
    const issues = validateAlertTemplate(template, URL);
    expect(issues).toEqual([expect.objectContaining({ message: expect.stringContaining(`shorten it by ${worst - MAX_ALERT_LENGTH}`) })]);
  });

  it("accepts a template that fits exactly at 320 characters with the longest values", () => {
    const base = "{name} {campaign} {link}";
    const padding = MAX_ALERT_LENGTH - worstCaseLength(base, URL);
    const exact = `${"y".repeat(padding)}${base}`;
    expect(worstCaseLength(exact, URL)).toBe(MAX_ALERT_LENGTH);
    expect(validateAlertTemplate(exact, URL)).toEqual([]);
    expect(validateAlertTemplate(`y${exact}`, URL)).toHaveLength(1);
  });

  it("requires the {link}, which identifies the lead", () => {
    expect(validateAlertTemplate("New lead {name} {phone}", URL)).toEqual([expect.objectContaining({ message: expect.stringContaining("{link}") })]);
  });

  it("refuses an empty template", () => {
    expect(validateAlertTemplate("   ", URL)).toHaveLength(1);
  });
});

describe("SMS segments and encoding", () => {
  it("counts GSM-7 text in septets: 160 fit one segment, 161 take two of 153", () => {
    expect(smsSegments("a".repeat(160))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1, perSegment: 160 });
    expect(smsSegments("a".repeat(161))).toMatchObject({ encoding: "GSM-7", units: 161, segments: 2, perSegment: 153 });
    expect(smsSegments("a".repeat(306))).toMatchObject({ segments: 2 });
    expect(smsSegments("a".repeat(307))).toMatchObject({ segments: 3 });
    expect(smsSegments("")).toMatchObject({ segments: 0, units: 0 });
  });

  it("keeps accented letters of the GSM-7 basic table (é, ñ, Ü) in GSM-7", () => {
    expect(smsSegments("José Muñoz, Müller: £5 @ 10:00")).toMatchObject({ encoding: "GSM-7", nonGsm: [] });
  });

  it("counts the extension table (€ [ ] { } ^ ~ | \\) as two septets each", () => {
    const s = smsSegments("€".repeat(80));
    expect(s).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1, extended: ["€"] });
    expect(smsSegments(`${"a".repeat(159)}€`)).toMatchObject({ units: 161, segments: 2 });
  });

  it("never splits an escape pair across segments", () => {
    // 152 plain + € (2) = 154 > 153: the € starts the second segment, which holds 76 € (152 septets).
    const s = smsSegments(`${"a".repeat(152)}€${"€".repeat(76)}`);
    // segment 1: 152 septets; segment 2: 76 × 2 = 152; segment 3: the last € (2)
    expect(s.units).toBe(152 + 154);
    expect(s.segments).toBe(3);
  });

  it("switches to UCS-2 for one en dash: 70 per segment, 67 when split", () => {
    const s = smsSegments(`Google Search – Roof repair ${"a".repeat(42)}`);
    expect(s).toMatchObject({ encoding: "UCS-2", nonGsm: ["–"], units: 70, segments: 1, perSegment: 70 });
    expect(smsSegments(`–${"a".repeat(70)}`)).toMatchObject({ units: 71, segments: 2, perSegment: 67 });
    expect(smsSegments(`–${"a".repeat(133)}`)).toMatchObject({ units: 134, segments: 2 });
    expect(smsSegments(`–${"a".repeat(134)}`)).toMatchObject({ units: 135, segments: 3 });
  });

  it("counts an emoji as two UCS-2 units and never splits it", () => {
    expect(smsSegments("😀".repeat(35))).toMatchObject({ encoding: "UCS-2", units: 70, segments: 1 });
    // 66 units + an emoji (2) = 68 > 67: the emoji moves to the second segment (2 + 65), one "a" is left for a third.
    expect(smsSegments(`${"–".repeat(66)}😀${"a".repeat(66)}`)).toMatchObject({ units: 134, segments: 3 });
  });

  it("makes the default template one GSM-7 segment for a typical lead, and says so in words", () => {
    const text = renderAlert(null, LEAD, "http://localhost:3000", TOKEN);
    const s = smsSegments(text);
    expect(s).toMatchObject({ encoding: "GSM-7", segments: 1 });
    expect(describeSegments(s)).toBe(`1 segment (GSM-7, ${text.length} of 160 characters)`);
  });

  it("masks a rep link's token when the sent text is shown on a page", () => {
    expect(maskRepLinks(`Lead: ${repLink(URL, TOKEN)} thanks`)).toBe("Lead: https://leads.example.com/r/AbCd… thanks");
    expect(maskRepLinks(`${repLink(URL, "AbCdEfGhIjKlMnOpQrSt_-")}`)).toBe("https://leads.example.com/r/AbCd…");
  });
});
