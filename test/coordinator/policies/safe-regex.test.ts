import { describe, expect, it } from 'vitest';
import { compileSafeRegex, MAX_REGEX_INPUT, testSafeRegex } from '../../../coordinator/policies/safe-regex.js';
import { ValidationError } from '../../../shared/errors.js';

describe('compileSafeRegex', () => {
  it('compiles ordinary patterns case-insensitively', () => {
    const re = compileSafeRegex('^macbook(pro|air)\\d+,\\d+$');
    expect(testSafeRegex(re, 'MacBookPro18,3')).toBe(true);
    expect(testSafeRegex(re, 'iMac21,1')).toBe(false);
  });

  it.each([
    '(a+)+', '(a*)*b', '(\\w+\\s?)*$', '((ab)+c)+', '(x{2,})*', '(?:[a-z]+\\.)+com',
  ])('refuses the nested quantifier in %s', (pattern) => {
    expect(() => compileSafeRegex(pattern)).toThrow(/catastrophic/);
  });

  it.each([
    '(ab)+', '[(a+)]+', '\\(a+\\)+', '(a|b)*c', '(a+)?', '(\\d+)\\.(\\d+)', 'a{2,5}(bc)',
  ])('accepts %s', (pattern) => {
    expect(() => compileSafeRegex(pattern)).not.toThrow();
  });

  it('refuses invalid and over-long patterns with a ValidationError', () => {
    expect(() => compileSafeRegex('[unclosed')).toThrow(ValidationError);
    expect(() => compileSafeRegex('a'.repeat(257))).toThrow(/longer than 256/);
    expect(() => compileSafeRegex('a'.repeat(256))).not.toThrow();
  });

  it('only looks at the first MAX_REGEX_INPUT characters', () => {
    const re = compileSafeRegex('z$');
    expect(testSafeRegex(re, `${'a'.repeat(MAX_REGEX_INPUT)}z`)).toBe(false);
    expect(testSafeRegex(re, `${'a'.repeat(MAX_REGEX_INPUT - 1)}z`)).toBe(true);
  });
});
