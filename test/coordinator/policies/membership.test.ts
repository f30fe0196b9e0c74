import { describe, expect, it } from 'vitest';
import { GroupEvaluator, type GroupDefinition, type MembershipComputer } from '../../../coordinator/policies/membership.js';
import { Criterion } from '../../../shared/schemas/group.js';
import { ValidationError } from '../../../shared/errors.js';
import { inventory } from './computer-fixture.js';

const c = (field: string, operator: Criterion['operator'], value: string, join: 'and' | 'or' = 'and') =>
  Criterion.parse({ field, operator, value, join });
const mac: MembershipComputer = { id: 1, name: 'mac', segmentId: 2, inventory: inventory(), staticGroupIds: [10] };
const linux: MembershipComputer = {
  id: 2, name: 'box', segmentId: null, staticGroupIds: [],
  inventory: inventory({ os: { platform: 'linux', distro: 'Ubuntu', release: '22.04', kernel: '6.5.0', arch: 'x64' } }),
};

describe('GroupEvaluator', () => {
  // Listed out of dependency order on purpose.
  const groups: GroupDefinition[] = [
    { id: 30, name: 'Lab Macs not pilot', kind: 'smart', criteria: [c('computer.group', 'member of', '20'), c('computer.group', 'not member of', '10')] },
    { id: 20, name: 'Macs', kind: 'smart', criteria: [c('os.platform', 'is', 'darwin')] },
    { id: 10, name: 'Pilot', kind: 'static' },
    { id: 40, name: 'Pilot or Linux', kind: 'smart', criteria: [c('computer.group', 'member of', '10'), c('os.platform', 'is', 'linux', 'or')] },
  ];
  const evaluator = new GroupEvaluator(groups);

  it('combines static membership and smart groups that depend on other groups', () => {
    expect([...evaluator.membershipsOf(mac)].sort()).toEqual([10, 20, 40]);
    expect([...evaluator.membershipsOf(linux)].sort()).toEqual([40]);
    expect([...evaluator.membershipsOf({ ...mac, staticGroupIds: [] })].sort()).toEqual([20, 30]);
  });

  it('refuses a group set with a cycle or bad criteria, naming the group', () => {
    const cyclic: GroupDefinition[] = [
      ...groups.filter((g) => g.id !== 20),
      { id: 20, name: 'Macs', kind: 'smart', criteria: [c('computer.group', 'member of', '30')] },
    ];
    expect(() => new GroupEvaluator(cyclic)).toThrow(/cycle: "Macs" → "Lab Macs not pilot" → "Macs"/);
    expect(() => new GroupEvaluator([{ id: 1, name: 'Broken', kind: 'smart', criteria: [c('os.platform', 'matches regex', '(')] }]))
      .toThrow(ValidationError);
    expect(() => new GroupEvaluator([{ id: 1, name: 'Broken', kind: 'smart', criteria: [c('os.platform', 'matches regex', '(')] }]))
      .toThrow(/^group "Broken": criterion 1: invalid regular expression/);
  });
});
