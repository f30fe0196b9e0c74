import { ValidationError } from '../../shared/errors.js';

// Longest pattern a smart-group criterion may use.
const MAX_REGEX_PATTERN = 256;
/** Longest input a pattern is run against; longer values are cut (inventory strings are ≤ 4096 anyway). */
export const MAX_REGEX_INPUT = 4096;

/**
 * Compiles an admin-entered pattern once, case-insensitively (as Jamf's MySQL REGEXP is), refusing
 * over-long or invalid patterns and nested quantifiers such as `(a+)+`, the usual catastrophic-backtracking shape.
 */
export function compileSafeRegex(pattern: string): RegExp {
  if (pattern.length > MAX_REGEX_PATTERN) {
    throw new ValidationError(`regular expression is longer than ${MAX_REGEX_PATTERN} characters`);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'i');
  } catch (err) {
    throw new ValidationError(`invalid regular expression /${pattern}/: ${(err as Error).message}`);
  }
  if (hasNestedQuantifier(pattern)) {
    throw new ValidationError(`regular expression /${pattern}/ repeats a group that itself repeats (risk of catastrophic backtracking)`);
  }
  return regex;
}

/** True when `regex` matches `input` (cut to `MAX_REGEX_INPUT` characters). */
export function testSafeRegex(regex: RegExp, input: string): boolean {
  return regex.test(input.length > MAX_REGEX_INPUT ? input.slice(0, MAX_REGEX_INPUT) : input);
}

const QUANTIFIER_AT = /^(?:[+*]|\{\d+(?:,\d*)?\})/;

// A small scanner over an already-valid pattern: tracks, per open group, whether it contains a repetition.
function hasNestedQuantifier(pattern: string): boolean {
  const groups: boolean[] = [];
  const markParent = () => { if (groups.length > 0) groups[groups.length - 1] = true; };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') { i++; continue; }
    if (ch === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (ch === '(') { groups.push(false); continue; }
    if (ch === ')') {
      const inner = groups.pop() ?? false;
      const quantified = QUANTIFIER_AT.test(pattern.slice(i + 1));
      if (inner && quantified) return true;
      if (inner || quantified) markParent();
      continue;
    }
    if (QUANTIFIER_AT.test(pattern.slice(i))) markParent();
  }
  return false;
}
