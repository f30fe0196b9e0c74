import { ValidationError } from '../../shared/errors.js';
import type { CriterionOperator } from '../../shared/schemas/group.js';
import type { CriteriaField, FieldKind } from './criteria-fields.js';
import { compileSafeRegex, testSafeRegex } from './safe-regex.js';

/** Operators that compare a field's values (everything but group membership). */
export type ValueOperator = Exclude<CriterionOperator, 'member of' | 'not member of'>;

/** A compiled criterion test over a field's values. */
export type ValuesTest = (values: readonly string[]) => boolean;

/**
 * Compiles one comparison. Over list fields (software, users…) the positive operators match when ANY value
 * matches and `is not` / `not like` when NONE does, so each negative is the exact negation of its positive.
 * `is`, `like` and regexes ignore case.
 */
export function compileTest(field: CriteriaField, operator: ValueOperator, value: string, where: string): ValuesTest {
  switch (operator) {
    case 'is': { const eq = equality(field.kind, value, where); return (vs) => vs.some(eq); }
    case 'is not': { const eq = equality(field.kind, value, where); return (vs) => !vs.some(eq); }
    case 'like': { const has = containment(value); return (vs) => vs.some(has); }
    case 'not like': { const has = containment(value); return (vs) => !vs.some(has); }
    case 'greater': { const cmp = comparator(field.kind, value, where); return (vs) => vs.some((v) => (cmp(v) ?? 0) > 0); }
    case 'less': { const cmp = comparator(field.kind, value, where); return (vs) => vs.some((v) => (cmp(v) ?? 0) < 0); }
    case 'matches regex': {
      let re: RegExp;
      try { re = compileSafeRegex(value); } catch (err) { throw new ValidationError(`${where}: ${(err as Error).message}`); }
      return (vs) => vs.some((v) => testSafeRegex(re, v));
    }
  }
}

function containment(value: string): (v: string) => boolean {
  const needle = value.toLowerCase();
  return (v) => v.toLowerCase().includes(needle);
}

function equality(kind: FieldKind, value: string, where: string): (v: string) => boolean {
  // `is ""` looks for blanks on every kind of field.
  if (kind === 'number' && value !== '') {
    const n = parseNumber(value);
    if (n === null) throw new ValidationError(`${where}: "${value}" is not a number`);
    return (v) => parseNumber(v) === n;
  }
  const lower = value.toLowerCase();
  return (v) => v.toLowerCase() === lower;
}

// Returns the sign of (field value − criterion value), or null when the field value is not comparable.
function comparator(kind: FieldKind, value: string, where: string): (v: string) => number | null {
  if (kind === 'version') {
    const target = parseVersion(value);
    if (target === null) throw new ValidationError(`${where}: "${value}" is not a version such as 14.2.1`);
    return (v) => { const parsed = parseVersion(v); return parsed === null ? null : compareVersions(parsed, target); };
  }
  const n = parseNumber(value);
  if (n !== null) return (v) => { const m = parseNumber(v); return m === null ? null : Math.sign(m - n); };
  if (kind === 'text' && DATE.test(value)) {
    // Zero-padded ISO dates order correctly as text; a bare date sorts before any time on that day.
    const target = value.replace('T', ' ');
    return (v) => (DATE.test(v) ? compareText(v.replace('T', ' '), target) : null);
  }
  throw new ValidationError(`${where}: "${value}" is not a number${kind === 'text' ? ' or a date (YYYY-MM-DD)' : ''}`);
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const DATE = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$/;

function parseNumber(s: string): number | null {
  const t = s.trim();
  return NUMBER.test(t) ? Number(t) : null;
}

// "Semver-ish": the first run of dot-separated numbers ("5.15.0-91-generic" → 5.15.0, "22.04" → 22.4).
function parseVersion(s: string): number[] | null {
  const m = /\d+(?:\.\d+)*/.exec(s);
  return m ? m[0].split('.').map(Number) : null;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
