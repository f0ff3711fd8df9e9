import { contractDocumentSchema } from "../../../server/domain/contracts/contract-document";
import { describeIssuePath, editableDocument, formatContractJson, issuesFrom, locate, parseContractText, STARTER_CONTRACT } from "~/lib/contract-json";

function problem(text: string) {
  const r = parseContractText(text);
  if (r.ok) throw new Error(`expected a syntax error in ${text}`);
  return r.problem;
}

describe("the contract editor's JSON helpers", () => {
  it("starts from a document the server accepts", () => {
    expect(contractDocumentSchema.safeParse(STARTER_CONTRACT).success).toBe(true);
  });

  it("prints a document readably and losslessly, keys in the documented order", () => {
    const text = formatContractJson(STARTER_CONTRACT);
    expect(JSON.parse(text)).toEqual(STARTER_CONTRACT);
    expect(text.split("\n")[1]).toBe('  "qualification": {');
    expect(text).toContain('"requiredFields": ["phone", "zip"]');
    expect(text.split("\n").every((l) => l.length <= 80)).toBe(true);
    // jsonb hands keys back sorted by length; the editor puts them back in the documented order.
    expect(formatContractJson({ pricing: { tiers: [], leadPriceCents: 1, retainerCents: 0 } })).toBe('{\n  "pricing": { "retainerCents": 0, "leadPriceCents": 1, "tiers": [] }\n}');
    expect(formatContractJson([])).toBe("[]");
    expect(formatContractJson(null)).toBe("null");
  });

  it("drops effectiveFrom from a stored document, so publishing it again takes effect now", () => {
    expect(editableDocument({ effectiveFrom: "2026-01-01T00:00:00Z", pricing: {} })).toEqual({ pricing: {} });
  });

  it("reads valid JSON and says where and why invalid JSON fails, in words", () => {
    expect(parseContractText('{ "a": [1, 2] }')).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(problem("")).toMatchObject({ line: 1, column: 1, message: expect.stringContaining("the document is empty") });
    expect(problem('{\n  "a": 1,\n}')).toMatchObject({ line: 3, column: 1, message: expect.stringContaining("a comma before } is not allowed"), lineText: "}" });
    expect(problem('{\n  "a": 1\n  "b": 2\n}')).toMatchObject({ line: 3, column: 3, message: expect.stringContaining("is a comma missing") });
    expect(problem("{ 'a': 1 }").message).toContain("double quotes");
    expect(problem('{ "a": "open\n}').message).toContain("runs to the end of the line");
    expect(problem('{ "a": [1, 2,] }').message).toContain("a comma before ] is not allowed");
    expect(problem('{ "a": 01 }').message).toContain("not a valid number");
    expect(problem('{ "a": True }').message).toContain("lower-case");
    expect(problem('{ "a": 1 } }').message).toContain("after the end of the document");
  });

  it("locates an offset as an editor counts lines and columns", () => {
    expect(locate("ab\ncd\r\nef", 4)).toEqual({ line: 2, column: 2, lineText: "cd" });
  });

  it("names issue paths in words", () => {
    expect(describeIssuePath([])).toBe("The document");
    expect(describeIssuePath(["qualification", "serviceArea", "zips", 3])).toBe("Qualification › service area › ZIPs › item 4");
    expect(describeIssuePath(["qualification", "businessHours", "mon", 0, 1])).toBe("Qualification › business hours › Monday › hours 1 › closing time");
    expect(describeIssuePath(["pricing", "tiers", "1", "priceCents"])).toBe("Pricing › volume tiers › tier 2 › price (cents)");
    expect(describeIssuePath(["qualification", "custom", 0, "surprise"])).toBe("Qualification › custom rules › rule 1 › “surprise”");
  });

  it("reads the issues a failed call carries, whatever their shape", () => {
    expect(issuesFrom({ cause: { issues: [{ path: ["pricing", 0], message: "too low" }, { path: "x" }] } })).toEqual([
      { path: ["pricing", 0], message: "too low" },
      { path: [], message: "is not valid" },
    ]);
    expect(issuesFrom(new Error("plain"))).toEqual([]);
    expect(issuesFrom(null)).toEqual([]);
  });
});
