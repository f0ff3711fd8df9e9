import {
  DEFAULT_ALERT_TEMPLATE,
  FIELD_LIMITS,
  MAX_ALERT_LENGTH,
  leadLink,
  renderAlert,
  truncateSafely,
  validateAlertTemplate,
  worstCaseLength,
  type AlertLeadValues,
} from "../../../server/domain/alerts/template";

const URL = "https://leads.example.com";
const LEAD: AlertLeadValues = {
  leadId: "5b0f3a52-1c1e-4d2b-9a55-0d6f0e2c9a11",
  name: "Ann Smith",
  phone: "+12125550142",
  source: "form",
  campaign: "Google Search - Roof repair",
  zip: "10001",
};

describe("alert text rendering", () => {
  it("fills every placeholder of the default template, with the portal link to the lead", () => {
    expect(renderAlert(null, LEAD, URL)).toBe(
      "New lead: Ann Smith +12125550142 (form, Google Search - Roof repair, ZIP 10001). Details: https://leads.example.com/portal/leads/5b0f3a52-1c1e-4d2b-9a55-0d6f0e2c9a11",
    );
  });

  it("uses the client's template and shows a dash for values the lead does not have", () => {
    const text = renderAlert("{name} / {phone} / {zip} via {source}: {link}", { ...LEAD, name: null, zip: "  ", source: "api" }, `${URL}/`);
    expect(text).toBe(`- / +12125550142 / - via API: ${leadLink(URL, LEAD.leadId)}`);
  });

  it("cuts a very long name on a character boundary with an ellipsis, never splitting an emoji", () => {
    const name = "😀".repeat(30); // 60 UTF-16 units
    const text = renderAlert("{name} {link}", { ...LEAD, name }, URL);
    const rendered = text.split(" ")[0]!;
    expect(rendered.length).toBeLessThanOrEqual(FIELD_LIMITS.name);
    expect(rendered.endsWith("…")).toBe(true);
    expect(rendered).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no lone high surrogate
  });

  it("flattens line breaks and control characters in lead values so one lead cannot reshape the message", () => {
    const text = renderAlert("{name}|{campaign}|{link}", { ...LEAD, name: "Ann\r\n\tSmith\u0000", campaign: "Roofs\u2028Now" }, URL);
    expect(text.startsWith("Ann Smith|Roofs Now|")).toBe(true);
  });

  it("keeps every rendered text within 320 characters whatever the lead looks like", () => {
    const longest = { ...LEAD, name: "N".repeat(500), campaign: "C".repeat(500), zip: "9".repeat(50), phone: "+1".padEnd(40, "2") };
    expect(renderAlert(DEFAULT_ALERT_TEMPLATE, longest, URL).length).toBeLessThanOrEqual(MAX_ALERT_LENGTH);
  });

  it("falls back to the default template when a saved one no longer fits (PUBLIC_URL grew)", () => {
    const saved = `${"x".repeat(200)} {link}`;
    const text = renderAlert(saved, LEAD, `https://${"a".repeat(150)}.example.com`);
    expect(text.startsWith("New lead: Ann Smith")).toBe(true);
  });

  it("appends the link to a stored template that lacks it, so every alert names its lead", () => {
    expect(renderAlert("New lead {name}", LEAD, URL)).toBe(`New lead Ann Smith ${leadLink(URL, LEAD.leadId)}`);
  });

  it("truncates on code points", () => {
    expect(truncateSafely("abcdef", 4)).toBe("abc…");
    expect(truncateSafely("abc", 4)).toBe("abc");
    expect(truncateSafely("a😀😀", 4)).toBe("a😀…");
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
