import { describe, expect, it } from 'vitest';
import { policyReferences } from '../../../coordinator/policies/references.js';
import { PolicyInput } from '../../../shared/schemas/policy.js';

describe('policyReferences', () => {
  it('collects unique sorted ids from targets, exclusions and payloads', () => {
    const policy = PolicyInput.parse({
      name: 'p',
      scope: { computers: [3, 1], groups: [5], segments: [2], exclusions: { computers: [1, 4], groups: [6, 5], segments: [] } },
      payloads: [
        { type: 'script', scriptId: 9, priority: 'before' },
        { type: 'package', packageId: 7, installCheckScriptId: 8 },
        { type: 'package', packageId: 7, action: 'uninstall' },
        { type: 'inventory' },
      ],
    });
    expect(policyReferences(policy)).toEqual({
      computers: [1, 3, 4], groups: [5, 6], segments: [2], packages: [7], scripts: [8, 9],
    });
  });
});
