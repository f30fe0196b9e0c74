import { describe, expect, it } from 'vitest';
import { compileCriteria } from '../../../coordinator/policies/criteria.js';
import { Criterion, type CriterionOperator } from '../../../shared/schemas/group.js';
import { ValidationError } from '../../../shared/errors.js';
import { computer, inventory } from './computer-fixture.js';

type Line = [field: string, operator: CriterionOperator, value: string];
const crit = (field: string, operator: CriterionOperator, value: string, extra: Partial<Criterion> = {}): Criterion =>
  Criterion.parse({ field, operator, value, ...extra });
const matches = (line: Line, c = computer()) => compileCriteria([crit(...line)]).matches(c);

describe('criteria operators', () => {
  it.each<[Line, boolean]>([
    [['os.platform', 'is', 'darwin'], true],
    [['os.platform', 'is', 'DARWIN'], true],
    [['os.platform', 'is', 'linux'], false],
    [['os.platform', 'is not', 'linux'], true],
    [['os.platform', 'is not', 'Darwin'], false],
    [['hardware.model', 'like', 'macbook'], true],
    [['hardware.model', 'like', 'iMac'], false],
    [['hardware.model', 'not like', 'iMac'], true],
    [['hardware.model', 'not like', 'pro18'], false],
    [['hardware.memoryBytes', 'greater', String(8 * 2 ** 30)], true],
    [['hardware.memoryBytes', 'less', String(8 * 2 ** 30)], false],
    [['hardware.memoryBytes', 'is', '17179869184.0'], true],
    [['hardware.cpu.cores', 'greater', '10'], false],
    [['hardware.cpu.cores', 'less', '10.5'], true],
    [['hardware.serial', 'matches regex', '^c02[a-z]{3}\\d+$'], true],
    [['hardware.serial', 'matches regex', '^D'], false],
    [['computer.name', 'like', 'lab'], true],
    [['computer.id', 'is', '7'], true],
    [['computer.segmentId', 'is', '3'], true],
    [['network.hostname', 'is', 'lab-mac-01'], true],
    [['network.ipv4', 'like', '10.1.'], true],
    [['users.name', 'is', 'bob'], true],
    [['users.loggedIn', 'is', 'bob'], false],
    [['users.loggedIn', 'is', 'alice'], true],
    [['hardware.disks.type', 'is', 'ssd'], true],
    [['bootTime', 'greater', '1600000000'], true],
  ])('%j → %s', (line, expected) => {
    expect(matches(line)).toBe(expected);
  });

  it('matches list fields when any item matches, and their negations when none does', () => {
    expect(matches(['software.name', 'is', 'firefox'])).toBe(true);
    expect(matches(['software.name', 'is not', 'Firefox'])).toBe(false);
    expect(matches(['software.name', 'is not', 'Chrome'])).toBe(true);
    expect(matches(['software.name', 'not like', 'sla'])).toBe(false);
    const bare = computer({ inventory: inventory({ software: [] }) });
    expect(matches(['software.name', 'like', ''], bare)).toBe(false);
    expect(matches(['software.name', 'not like', 'x'], bare)).toBe(true);
  });

  it('compares release and kernel as versions, not as text or decimals', () => {
    expect(matches(['os.release', 'greater', '14.2'])).toBe(true);
    expect(matches(['os.release', 'greater', '14.10'])).toBe(false);
    expect(matches(['os.release', 'less', '14.10'])).toBe(true);
    expect(matches(['os.release', 'greater', '14.2.1'])).toBe(false);
    expect(matches(['os.release', 'less', '15'])).toBe(true);
    const linux = computer({ inventory: inventory({
      os: { platform: 'linux', distro: 'Ubuntu', release: '22.04', kernel: '5.15.0-91-generic', arch: 'x64' },
    }) });
    expect(matches(['os.kernel', 'greater', '5.4.0'], linux)).toBe(true);
    expect(matches(['os.kernel', 'less', '6'], linux)).toBe(true);
    expect(matches(['os.release', 'greater', '20.10'], linux)).toBe(true);
  });

  it('reads extension attributes, comparing numbers and ISO dates', () => {
    expect(matches(['extensionAttributes.Department', 'is', 'physics'])).toBe(true);
    expect(matches(['extensionAttributes.Battery Cycles', 'greater', '300'])).toBe(true);
    expect(matches(['extensionAttributes.Battery Cycles', 'less', '99'])).toBe(false);
    expect(matches(['extensionAttributes.Last Backup', 'less', '2026-01-01'])).toBe(true);
    expect(matches(['extensionAttributes.Last Backup', 'greater', '2025-12-30T09:00'])).toBe(false);
    expect(matches(['extensionAttributes.Department', 'greater', '3'])).toBe(false);
    expect(matches(['extensionAttributes.Missing', 'is', ''])).toBe(true);
    expect(matches(['extensionAttributes.Missing', 'like', 'x'])).toBe(false);
  });

  it('treats missing inventory and a missing segment as blank', () => {
    const bare = computer({ inventory: null, segmentId: null });
    expect(matches(['os.platform', 'is', ''], bare)).toBe(true);
    expect(matches(['os.platform', 'is not', 'darwin'], bare)).toBe(true);
    expect(matches(['computer.segmentId', 'is', ''], bare)).toBe(true);
    expect(matches(['hardware.memoryBytes', 'greater', '0'], bare)).toBe(false);
    expect(matches(['users.name', 'is', 'alice'], bare)).toBe(false);
  });

  it('tests group membership by id', () => {
    const member = computer({ groupIds: new Set([4]) });
    expect(matches(['computer.group', 'member of', '4'], member)).toBe(true);
    expect(matches(['computer.group', 'member of', '5'], member)).toBe(false);
    expect(matches(['computer.group', 'not member of', '4'], member)).toBe(false);
    expect(compileCriteria([crit('computer.group', 'member of', '9'), crit('computer.group', 'not member of', ' 4 ')]).dependsOn)
      .toEqual([4, 9]);
  });

  it('matches every computer when there are no criteria', () => {
    expect(compileCriteria([]).matches(computer({ inventory: null }))).toBe(true);
  });
});

describe('criteria precedence and brackets', () => {
  const T = crit('os.platform', 'is', 'darwin');
  const F = crit('os.platform', 'is', 'linux');
  const line = (c: Criterion, join: 'and' | 'or', open = 0, close = 0) => ({ ...c, join, open, close });
  const evalLines = (lines: Criterion[]) => compileCriteria(lines).matches(computer());

  it('binds and tighter than or', () => {
    // T or F and F  ==  T or (F and F)  == true   (left-to-right would give false)
    expect(evalLines([T, line(F, 'or'), line(F, 'and')])).toBe(true);
    // F and F or T == (F and F) or T == true
    expect(evalLines([F, line(F, 'and'), line(T, 'or')])).toBe(true);
    // F and T or F == false
    expect(evalLines([F, line(T, 'and'), line(F, 'or')])).toBe(false);
  });

  it('honours brackets over precedence, including nesting', () => {
    // (T or F) and F == false
    expect(evalLines([line(T, 'and', 1), line(F, 'or', 0, 1), line(F, 'and')])).toBe(false);
    // T or (F and F) == true ; ((T)) == true
    expect(evalLines([T, line(F, 'or', 1), line(F, 'and', 0, 1)])).toBe(true);
    expect(evalLines([line(T, 'and', 2, 2)])).toBe(true);
    // ((F or T) and (T or F)) and F == false
    expect(evalLines([line(F, 'and', 2), line(T, 'or', 0, 1), line(T, 'and', 1), line(F, 'or', 0, 2), line(F, 'and')])).toBe(false);
  });

  it('ignores join on the first criterion', () => {
    expect(evalLines([line(T, 'or'), line(F, 'and')])).toBe(false);
  });

  it('refuses unbalanced brackets', () => {
    expect(() => compileCriteria([line(T, 'and', 1)])).toThrow(/1 bracket open/);
    expect(() => compileCriteria([line(T, 'and', 0, 1)])).toThrow(/criterion 1 closes a bracket/);
    expect(() => compileCriteria([line(T, 'and', 1, 1), line(F, 'or', 0, 1), line(T, 'or', 1)]))
      .toThrow(ValidationError);
  });
});

describe('criteria validation at save time', () => {
  it.each<[Line, RegExp]>([
    [['os.nope', 'is', 'x'], /unknown field "os.nope"/],
    [['__proto__', 'is', 'x'], /unknown field/],
    [['extensionAttributes.', 'is', 'x'], /unknown field/],
    [['hardware.memoryBytes', 'greater', 'lots'], /not a number/],
    [['hardware.memoryBytes', 'is', '16G'], /not a number/],
    [['os.release', 'greater', 'sonoma'], /not a version/],
    [['computer.name', 'less', 'abc'], /not a number or a date/],
    [['os.platform', 'matches regex', '(unclosed'], /invalid regular expression/],
    [['os.platform', 'matches regex', '(a+)+$'], /catastrophic/],
    [['os.platform', 'matches regex', 'x'.repeat(257)], /longer than 256/],
    [['os.platform', 'member of', '3'], /needs the field "computer.group"/],
    [['computer.group', 'is', '3'], /only "member of"/],
    [['computer.group', 'member of', 'Lab'], /not a group id/],
    [['computer.group', 'member of', '0'], /not a group id/],
  ])('refuses %j', (line, message) => {
    const err = (() => { try { compileCriteria([crit('os.platform', 'is', 'x'), crit(...line)]); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(/^criterion 2/);
    expect((err as Error).message).toMatch(message);
  });
});
