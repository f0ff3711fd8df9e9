import { RE2JS, RE2JSException } from "re2js";

/**
 * Contract `matches` patterns (docs/decisions/008-contract-patterns-on-re2.md).
 *
 * Patterns are written by agency staff but run against values typed by anyone on the internet, so
 * they run on RE2 semantics (re2js, pure JavaScript): matching time grows linearly with the input,
 * whatever the pattern. JavaScript's backtracking RegExp is never used for them — `^(a+)+$` against
 * 30 characters froze the process for seconds.
 *
 * RE2 has no backreferences (`\1`) and no lookahead/lookbehind; such patterns are refused when the
 * contract is published, with a reason that says so. A version stored before this rule whose
 * pattern RE2 cannot compile does not crash judging: its predicate fails with that reason.
 */

/** Longest pattern accepted at publish. Long patterns are a sign of a list that belongs in `in`. */
export const MAX_PATTERN_LENGTH = 500;

/** Longest value a pattern is tried against; longer values fail the predicate without matching. */
export const MAX_MATCHED_VALUE_LENGTH = 1_000;

export type CompiledPattern =
  | { ok: true; test: (value: string) => boolean }
  | { ok: false; reason: string };

/** Says in words why RE2 refused a pattern, naming the JavaScript feature when it is a known one. */
function refusal(source: string, err: unknown): string {
  if (/\\[1-9]/.test(source) || /\\k</.test(source)) {
    return "backreferences such as \\1 are not supported: patterns run on a linear-time engine (RE2)";
  }
  if (/\(\?<?[=!]/.test(source)) {
    return "lookahead and lookbehind such as (?=…) are not supported: patterns run on a linear-time engine (RE2)";
  }
  const detail = err instanceof RE2JSException ? err.message.replace(/^error parsing regexp: /, "") : String(err);
  return `not a valid pattern: ${detail}`;
}

export function compilePattern(source: string): CompiledPattern {
  if (source.length > MAX_PATTERN_LENGTH) {
    return { ok: false, reason: `longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (err) {
    return { ok: false, reason: refusal(source, err) };
  }
  return { ok: true, test: (value) => value.length <= MAX_MATCHED_VALUE_LENGTH && re.test(value) };
}
