import { contractFields, embedSnippet, fieldLabel, snippetFieldNames, type SnippetRules } from "../../../server/domain/forms/embed-snippet";

const FORM = { publicKey: "pk_test", honeypotField: "website", consentText: null };
const rules = (r: Partial<SnippetRules>): SnippetRules => ({ requiredFields: [], custom: [], ...r });
const snippet = (r: Partial<SnippetRules>, fieldMapping: Record<string, string> = {}) => embedSnippet({ ...FORM, fieldMapping }, "https://ll.example", rules(r));
/** The markup between the label of a field and the end of its paragraph. */
const block = (html: string, field: string) => new RegExp(`<label for="ll-pk_test-${field}">[\\s\\S]*?</p>`).exec(html)?.[0] ?? "";

describe("the embed snippet generated from the contract", () => {
  it("asks for a number between the bounds for min and max, labelled in words", () => {
    const html = snippet({ custom: [{ field: "budget", op: "min", value: 2000 }, { field: "budget", op: "max", value: 50000 }] });
    const b = block(html, "budget");
    expect(b).toContain("Budget (2,000 to 50,000)");
    expect(b).toMatch(/<input [^>]*type="number" name="budget"[^>]*min="2000" max="50000" required>/);
  });

  it("asks for at least / at most when only one bound is set", () => {
    expect(block(snippet({ custom: [{ field: "budget", op: "min", value: 2000 }] }), "budget")).toContain("Budget (at least 2,000)");
    expect(block(snippet({ custom: [{ field: "sqft", op: "max", value: 900 }] }), "sqft")).toContain("Sqft (at most 900)");
  });

  it("offers a select of the allowed values for in, without the values not_in excludes", () => {
    const html = snippet({
      custom: [
        { field: "roof_type", op: "in", value: ["shingle", "tile", "metal"] },
        { field: "roof_type", op: "not_in", value: ["metal"] },
      ],
    });
    const b = block(html, "roof_type");
    expect(b).toContain("Roof type");
    expect(b).toContain('<select id="ll-pk_test-roof_type" name="roof_type" required>');
    expect(b).toContain('<option value="">Choose…</option>');
    expect(b).toContain('<option value="shingle">shingle</option>');
    expect(b).toContain('<option value="tile">tile</option>');
    expect(b).not.toContain("metal");
  });

  it("offers the one accepted answer for equals (Yes for true)", () => {
    const b = block(snippet({ custom: [{ field: "isHomeowner", op: "equals", value: true }] }), "isHomeowner");
    expect(b).toContain("Is homeowner");
    expect(b).toContain('<option value="true">Yes</option>');
  });

  it("asks for text for matches and not_in alone, and for required fields no predicate tests", () => {
    const html = snippet({ requiredFields: ["phone", "project"], custom: [{ field: "ref", op: "matches", value: "^R-\\d+$" }, { field: "source", op: "not_in", value: ["spam"] }] });
    expect(block(html, "ref")).toMatch(/<input [^>]*type="text" name="ref" required>/);
    expect(block(html, "source")).toMatch(/<input [^>]*type="text" name="source" required>/);
    expect(block(html, "project")).toMatch(/<input [^>]*type="text" name="project" required>/);
  });

  it("requires the contact fields the contract requires, the ZIP when there is a service area, and adds state when required", () => {
    const html = snippet({ requiredFields: ["email", "state"], serviceArea: { zips: ["11201"], states: [] } });
    expect(block(html, "email")).toMatch(/required>/);
    expect(block(html, "zip")).toMatch(/required>/);
    expect(block(html, "name")).not.toMatch(/required/);
    expect(block(html, "state")).toMatch(/name="state"[^>]*required>/);
    expect(snippetFieldNames(rules({}))).toEqual(["name", "phone", "email", "zip"]);
  });

  it("posts a contract field under the form's mapped name and escapes what it prints", () => {
    const html = snippet({ custom: [{ field: "budget", op: "in", value: ['<5k "small"'] }] }, { project_budget: "budget" });
    expect(html).toContain('name="project_budget"');
    expect(html).toContain("&lt;5k &quot;small&quot;");
    expect(html).not.toContain('<5k "small"');
  });

  it("lists one entry per contract field in the contract's order, and nothing without rules", () => {
    const fields = contractFields(rules({ requiredFields: ["budget"], custom: [{ field: "budget", op: "min", value: 1 }, { field: "zip", op: "in", value: ["1"] }, { field: "timeline", op: "in", value: ["now"] }] }));
    expect(fields.map((f) => f.field)).toEqual(["budget", "timeline"]);
    expect(contractFields(null)).toEqual([]);
    expect(fieldLabel("move-in_date")).toBe("Move in date");
  });
});

describe("the tracking snippet in the form's embed code", () => {
  it("loads /t.js from the same server after the form, so first and last touch go with the post", () => {
    expect(snippet({}).trimEnd().split("\n").at(-1)).toBe('<script src="https://ll.example/t.js" async></script>');
  });
});
