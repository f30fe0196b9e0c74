import { describe, expect, it } from 'vitest';
import { resolveScriptParameters } from '../../../shared/policy/script-parameters.js';

describe('resolveScriptParameters', () => {
  it('maps parameters to $4–$11 with labels and secrecy from the script or the policy', () => {
    const resolved = resolveScriptParameters(
      { parameterLabels: ['Server URL', 'API key'], secretParameters: [5] },
      ['https://example.test', 'k3y', { value: 'hunter2', secret: true }, { value: 'public', secret: false }],
    );
    expect(resolved).toHaveLength(8);
    expect(resolved.slice(0, 5)).toEqual([
      { index: 4, label: 'Server URL', value: 'https://example.test', secret: false },
      { index: 5, label: 'API key', value: 'k3y', secret: true },
      { index: 6, label: 'Parameter 6', value: 'hunter2', secret: true },
      { index: 7, label: 'Parameter 7', value: 'public', secret: false },
      { index: 8, label: 'Parameter 8', value: '', secret: false },
    ]);
    expect(resolved[7].index).toBe(11);
  });
});
