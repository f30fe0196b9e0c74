import { describe, expect, it } from 'vitest';
import { evaluatePolicyScope, evaluateScope, type NameLookup } from '../../../coordinator/policies/scope.js';
import { PolicyScope } from '../../../shared/schemas/policy.js';

const NAMES: Record<string, string> = { 'group:5': 'Lab Macs', 'group:6': 'Physics', 'segment:2': 'Building A', 'computer:1': 'mac-01' };
const names: NameLookup = (kind, id) => NAMES[`${kind}:${id}`];
const pc = { id: 1, segmentId: 2 };
const groups = new Set([5, 6]);
const scope = (s: unknown) => PolicyScope.parse(s);

describe('evaluateScope', () => {
  it('targets all computers, listed computers, groups and segments', () => {
    expect(evaluateScope(scope({ all: true }), pc, groups, names)).toEqual({ inScope: true, reason: 'targeted: all computers' });
    expect(evaluateScope(scope({ computers: [1] }), pc, groups, names)).toEqual({ inScope: true, reason: 'targeted by computer "mac-01"' });
    expect(evaluateScope(scope({ groups: [9, 6] }), pc, groups, names)).toEqual({ inScope: true, reason: 'targeted by group "Physics"' });
    expect(evaluateScope(scope({ segments: [2] }), pc, groups, names)).toEqual({ inScope: true, reason: 'targeted by segment "Building A"' });
  });

  it('leaves out computers nothing targets', () => {
    expect(evaluateScope(scope({}), pc, groups, names).inScope).toBe(false);
    expect(evaluateScope(scope({ computers: [2], groups: [9], segments: [3] }), pc, groups, names))
      .toEqual({ inScope: false, reason: 'not targeted: neither listed nor in a targeted group or segment' });
    expect(evaluateScope(scope({ segments: [2] }), { id: 1, segmentId: null }, groups, names).inScope).toBe(false);
  });

  it('lets every kind of exclusion win over every kind of target', () => {
    const targets = { all: true, computers: [1], groups: [5], segments: [2] };
    expect(evaluateScope(scope({ ...targets, exclusions: { groups: [5] } }), pc, groups, names))
      .toEqual({ inScope: false, reason: 'excluded by group "Lab Macs"' });
    expect(evaluateScope(scope({ ...targets, exclusions: { computers: [1] } }), pc, groups, names))
      .toEqual({ inScope: false, reason: 'excluded by computer "mac-01"' });
    expect(evaluateScope(scope({ ...targets, exclusions: { segments: [2] } }), pc, groups, names))
      .toEqual({ inScope: false, reason: 'excluded by segment "Building A"' });
    expect(evaluateScope(scope({ ...targets, exclusions: { groups: [7], segments: [3] } }), pc, groups, names).inScope).toBe(true);
  });

  it('falls back to ids when a name is unknown', () => {
    expect(evaluateScope(scope({ groups: [5] }), pc, new Set([5]), () => undefined).reason).toBe('targeted by group "#5"');
  });
});

describe('evaluatePolicyScope', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const policy = { enabled: true, activeFrom: null, activeUntil: null, scope: scope({ all: true }) };

  it('refuses disabled and inactive policies before looking at scope', () => {
    expect(evaluatePolicyScope({ ...policy, enabled: false }, pc, groups, names, now)).toEqual({ inScope: false, reason: 'policy is disabled' });
    expect(evaluatePolicyScope({ ...policy, activeFrom: '2026-04-01T00:00:00Z' }, pc, groups, names, now))
      .toEqual({ inScope: false, reason: 'not active until 2026-04-01T00:00:00Z' });
    expect(evaluatePolicyScope({ ...policy, activeUntil: '2026-03-01T12:00:00Z' }, pc, groups, names, now))
      .toEqual({ inScope: false, reason: 'expired at 2026-03-01T12:00:00Z' });
    expect(evaluatePolicyScope(policy, pc, groups, names, now)).toEqual({ inScope: true, reason: 'targeted: all computers' });
  });
});
