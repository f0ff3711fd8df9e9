import { MAX_MATCHED_VALUE_LENGTH, MAX_PATTERN_LENGTH, compilePattern } from "../../../server/domain/contracts/pattern";

function compiled(source: string) {
  const result = compilePattern(source);
  if (!result.ok) throw new Error(`expected ${source} to compile: ${result.reason}`);
  return result;
}

describe("compilePattern", () => {
  it.each<[string, string, boolean]>([
    ["^P-\\d{4}$", "P-2026", true],
    ["^P-\\d{4}$", "P-26", false],
    ["^(roof|siding)$", "siding", true],
    ["(?i)^roof$", "ROOF", true],
    ["^\\d{5}(-\\d{4})?$", "14201-1234", true],
    ["^[A-Z]{2}$", "ny", false],
  ])("%s against %s is %s, as JavaScript would say", (source, value, expected) => {
    expect(compiled(source).test(value)).toBe(expected);
    expect(new RegExp(source.replace("(?i)", ""), source.startsWith("(?i)") ? "i" : "").test(value)).toBe(expected);
  });

  it("answers a catastrophic-backtracking pattern on a long hostile value (RE2 is linear)", () => {
    const nested = compiled("^(a+)+$");

    expect(nested.test(`${"a".repeat(900)}!`)).toBe(false);
    expect(nested.test("a".repeat(900))).toBe(true);
  });

  it("does not match values longer than the cap, even when the pattern would", () => {
    const any = compiled("^a*$");

    expect(any.test("a".repeat(MAX_MATCHED_VALUE_LENGTH))).toBe(true);
    expect(any.test("a".repeat(MAX_MATCHED_VALUE_LENGTH + 1))).toBe(false);
  });

  it.each<[string, RegExp]>([
    ["^(a)\\1$", /backreferences such as \\1 are not supported/],
    ["^(?<x>a)\\k<x>$", /backreferences/],
    ["^(?=.*\\d).+$", /lookahead and lookbehind/],
    ["(?<!x)y", /lookahead and lookbehind/],
    ["^(unclosed$", /^not a valid pattern: /],
  ])("refuses %s and says why", (source, reason) => {
    const result = compilePattern(source);

    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toMatch(reason);
  });

  it(`refuses patterns longer than ${MAX_PATTERN_LENGTH} characters`, () => {
    expect(compilePattern("a".repeat(MAX_PATTERN_LENGTH)).ok).toBe(true);
    expect(compilePattern("a".repeat(MAX_PATTERN_LENGTH + 1))).toEqual({
      ok: false,
      reason: `longer than ${MAX_PATTERN_LENGTH} characters`,
    });
  });
});
