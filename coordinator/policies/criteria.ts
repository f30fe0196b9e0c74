import { ValidationError } from '../../shared/errors.js';
import type { Criterion } from '../../shared/schemas/group.js';
import { CRITERIA_FIELDS, GROUP_FIELD, lookupField, type CriteriaComputer } from './criteria-fields.js';
import { compileTest } from './criteria-operators.js';

/** Smart-group criteria compiled once (at save or load), evaluated per computer. */
export interface CompiledCriteria {
  /** True when the computer meets the criteria; empty criteria match every computer, as in Jamf. */
  matches(computer: CriteriaComputer): boolean;
  /** Group ids named by `member of` / `not member of`, sorted; they must be evaluated first. */
  dependsOn: number[];
}

type Predicate = (computer: CriteriaComputer) => boolean;
type Token =
  | { kind: 'open' } | { kind: 'close' }
  | { kind: 'join'; op: 'and' | 'or' }
  | { kind: 'atom'; test: Predicate };

/**
 * Compiles Jamf-style criteria (`and` binds tighter than `or`; `open`/`close` add brackets), refusing unknown
 * fields, values the operator cannot compare, unsafe or invalid regexes and unbalanced brackets (ValidationError).
 */
export function compileCriteria(criteria: readonly Criterion[]): CompiledCriteria {
  const dependsOn = new Set<number>();
  const tokens: Token[] = [];
  let depth = 0;
  criteria.forEach((c, i) => {
    const where = `criterion ${i + 1}`;
    if (i > 0) tokens.push({ kind: 'join', op: c.join });
    for (let k = 0; k < c.open; k++) tokens.push({ kind: 'open' });
    tokens.push({ kind: 'atom', test: compileAtom(c, where, dependsOn) });
    for (let k = 0; k < c.close; k++) tokens.push({ kind: 'close' });
    depth += c.open - c.close;
    if (depth < 0) throw new ValidationError(`${where} closes a bracket that was never opened`);
  });
  if (depth > 0) throw new ValidationError(`criteria leave ${depth} bracket${depth > 1 ? 's' : ''} open`);
  const matches = tokens.length === 0 ? () => true : parse(tokens);
  return { matches, dependsOn: [...dependsOn].sort((a, b) => a - b) };
}

function compileAtom(c: Criterion, where: string, dependsOn: Set<number>): Predicate {
  if (c.operator === 'member of' || c.operator === 'not member of') {
    if (c.field !== GROUP_FIELD) {
      throw new ValidationError(`${where}: "${c.operator}" needs the field "${GROUP_FIELD}"`);
    }
    const id = /^\s*[1-9]\d{0,14}\s*$/.test(c.value) ? Number(c.value) : null;
    if (id === null) throw new ValidationError(`${where}: "${c.value}" is not a group id`);
    dependsOn.add(id);
    return c.operator === 'member of' ? (x) => x.groupIds.has(id) : (x) => !x.groupIds.has(id);
  }
  if (c.field === GROUP_FIELD) {
    throw new ValidationError(`${where}: the field "${GROUP_FIELD}" takes only "member of" or "not member of"`);
  }
  const field = lookupField(c.field);
  if (!field) {
    throw new ValidationError(`${where}: unknown field "${c.field}"; use one of ${CRITERIA_FIELDS.join(', ')}, `
      + `extensionAttributes.<name> or ${GROUP_FIELD}`);
  }
  const test = compileTest(field, c.operator, c.value, where);
  return (x) => test(field.values(x));
}

// Recursive descent over a bracket-balanced token list: expr := term (or term)*; term := factor (and factor)*.
function parse(tokens: readonly Token[]): Predicate {
  let pos = 0;
  const joinAt = (op: 'and' | 'or') => {
    const t = tokens[pos];
    return t !== undefined && t.kind === 'join' && t.op === op;
  };
  const factor = (): Predicate => {
    const t = tokens[pos++];
    if (t.kind === 'atom') return t.test;
    const inner = expr();
    pos++; // the matching ')' — guaranteed by the bracket check
    return inner;
  };
  const term = (): Predicate => {
    const parts = [factor()];
    while (joinAt('and')) { pos++; parts.push(factor()); }
    return parts.length === 1 ? parts[0] : (x) => parts.every((p) => p(x));
  };
  const expr = (): Predicate => {
    const parts = [term()];
    while (joinAt('or')) { pos++; parts.push(term()); }
    return parts.length === 1 ? parts[0] : (x) => parts.some((p) => p(x));
  };
  return expr();
}
