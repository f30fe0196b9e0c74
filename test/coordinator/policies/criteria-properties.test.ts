import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCriteria } from '../../../coordinator/policies/criteria.js';
import type { Criterion, CriterionOperator } from '../../../shared/schemas/group.js';
import { computer, inventory } from './computer-fixture.js';

// Small value pools so atoms are true about half the time.
const PLATFORMS = ['darwin', 'linux', 'win32'];
const APPS = ['Firefox', 'Slack', 'Zoom'];

const arbComputer = fc.record({
  platform: fc.constantFrom(...PLATFORMS),
  apps: fc.subarray(APPS),
  groups: fc.subarray([1, 2, 3]),
}).map(({ platform, apps, groups }) => computer({
  groupIds: new Set(groups),
  inventory: inventory({
    os: { platform, distro: '', release: '1.0', kernel: '1.0', arch: 'x64' },
    software: apps.map((name) => ({ name, version: '1', source: 'test' })),
  }),
}));

type Atom = Pick<Criterion, 'field' | 'operator' | 'value'>;
const arbAtom: fc.Arbitrary<Atom> = fc.oneof(
  fc.record({ field: fc.constant('os.platform'), operator: fc.constantFrom<CriterionOperator>('is', 'is not'), value: fc.constantFrom(...PLATFORMS) }),
  fc.record({ field: fc.constant('software.name'), operator: fc.constantFrom<CriterionOperator>('is', 'is not', 'like', 'not like'), value: fc.constantFrom(...APPS, 'fire', 'o') }),
  fc.record({ field: fc.constant('computer.group'), operator: fc.constantFrom<CriterionOperator>('member of', 'not member of'), value: fc.constantFrom('1', '2', '3') }),
);

const NEGATION: Partial<Record<CriterionOperator, CriterionOperator>> = {
  'is': 'is not', 'is not': 'is', 'like': 'not like', 'not like': 'like', 'member of': 'not member of', 'not member of': 'member of',
};
const negate = (a: Atom): Atom => ({ ...a, operator: NEGATION[a.operator]! });
const line = (a: Atom, join: 'and' | 'or' = 'and', open = 0, close = 0): Criterion => ({ ...a, join, open, close });
const atomHolds = (a: Atom, c: ReturnType<typeof computer>) => compileCriteria([line(a)]).matches(c);

type Tree = { atom: Atom } | { op: 'and' | 'or'; left: Tree; right: Tree; extraBrackets: boolean };
const { tree: arbTree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ atom: arbAtom }),
    fc.record({ op: fc.constantFrom<'and' | 'or'>('and', 'or'), left: tie('tree'), right: tie('tree'), extraBrackets: fc.boolean() }),
  ),
}));

const holds = (t: Tree, c: ReturnType<typeof computer>): boolean =>
  'atom' in t ? atomHolds(t.atom, c) : t.op === 'and' ? holds(t.left, c) && holds(t.right, c) : holds(t.left, c) || holds(t.right, c);

// Flattens a tree into Jamf lines, bracketing only where precedence requires it (or when asked to).
function flatten(t: Tree, parent: 'and' | 'or' | null): Criterion[] {
  if ('atom' in t) return [line(t.atom)];
  const left = flatten(t.left, t.op);
  const right = flatten(t.right, t.op);
  right[0] = { ...right[0], join: t.op };
  const lines = [...left, ...right];
  if (t.extraBrackets || (parent === 'and' && t.op === 'or')) {
    lines[0] = { ...lines[0], open: lines[0].open + 1 };
    lines[lines.length - 1] = { ...lines[lines.length - 1], close: lines[lines.length - 1].close + 1 };
  }
  return lines;
}

describe('criteria properties', () => {
  it('A or B ≡ not (not A and not B), via the negated operators', () => {
    fc.assert(fc.property(arbAtom, arbAtom, arbComputer, (a, b, c) => {
      const either = compileCriteria([line(a), line(b, 'or')]).matches(c);
      const neither = compileCriteria([line(negate(a)), line(negate(b), 'and')]).matches(c);
      expect(either).toBe(!neither);
    }), { numRuns: 500 });
  });

  it('each negative operator is the exact complement of its positive', () => {
    fc.assert(fc.property(arbAtom, arbComputer, (a, c) => {
      expect(atomHolds(negate(a), c)).toBe(!atomHolds(a, c));
    }), { numRuns: 500 });
  });

  it('without brackets, a list is an OR of AND-chains', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ atom: arbAtom, join: fc.constantFrom<'and' | 'or'>('and', 'or') }), { minLength: 1, maxLength: 8 }),
      arbComputer,
      (items, c) => {
        const chains: boolean[][] = [];
        items.forEach(({ atom, join }, i) => {
          if (i === 0 || join === 'or') chains.push([]);
          chains[chains.length - 1].push(atomHolds(atom, c));
        });
        const expected = chains.some((chain) => chain.every(Boolean));
        expect(compileCriteria(items.map(({ atom, join }) => line(atom, join))).matches(c)).toBe(expected);
      },
    ), { numRuns: 500 });
  });

  it('a bracketed expression tree compiles to its own meaning', () => {
    fc.assert(fc.property(arbTree, arbComputer, (t, c) => {
      expect(compileCriteria(flatten(t, null)).matches(c)).toBe(holds(t, c));
    }), { numRuns: 500 });
  });
});
