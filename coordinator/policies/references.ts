import type { PolicyInput } from '../../shared/schemas/policy.js';

/** Ids of the objects a policy names, each list sorted and unique; the service checks they exist before saving. */
export interface PolicyReferences {
  computers: number[];
  groups: number[];
  segments: number[];
  packages: number[];
  scripts: number[];
}

/** Collects every id a policy's scope (targets and exclusions) and payloads refer to. */
export function policyReferences(policy: Pick<PolicyInput, 'scope' | 'payloads'>): PolicyReferences {
  const { scope } = policy;
  const packages: number[] = [];
  const scripts: number[] = [];
  for (const p of policy.payloads) {
    if (p.type === 'package') {
      packages.push(p.packageId);
      if (p.installCheckScriptId !== null) scripts.push(p.installCheckScriptId);
    } else if (p.type === 'script') {
      scripts.push(p.scriptId);
    }
  }
  return {
    computers: unique([...scope.computers, ...scope.exclusions.computers]),
    groups: unique([...scope.groups, ...scope.exclusions.groups]),
    segments: unique([...scope.segments, ...scope.exclusions.segments]),
    packages: unique(packages),
    scripts: unique(scripts),
  };
}

function unique(ids: readonly number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}
