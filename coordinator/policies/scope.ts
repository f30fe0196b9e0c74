import type { PolicyScope } from '../../shared/schemas/policy.js';
import { checkActivation } from '../../shared/policy/window.js';

/** Kinds of object a policy scope names. */
export type ScopeObjectKind = 'computer' | 'group' | 'segment';

/** Display name of a scoped object for reasons; undefined falls back to `#id`. */
export type NameLookup = (kind: ScopeObjectKind, id: number) => string | undefined;

/** Whether a policy applies to a computer, and a human-readable why (for the explain endpoint). */
export interface ScopeDecision {
  inScope: boolean;
  reason: string;
}

/** The parts of a computer that scope looks at. */
export interface ScopedComputer {
  id: number;
  segmentId: number | null;
}

/**
 * Jamf scope semantics: any matching exclusion wins; otherwise the computer is in scope when the policy
 * targets all computers, lists it, lists a group it belongs to (`groupIds`: static and smart), or its segment.
 */
export function evaluateScope(
  scope: PolicyScope, computer: ScopedComputer, groupIds: ReadonlySet<number>, names: NameLookup,
): ScopeDecision {
  const label = (kind: ScopeObjectKind, id: number) => `${kind} "${names(kind, id) ?? `#${id}`}"`;
  const hit = matchTargets(scope.exclusions, computer, groupIds);
  if (hit) return { inScope: false, reason: `excluded by ${label(hit.kind, hit.id)}` };
  if (scope.all) return { inScope: true, reason: 'targeted: all computers' };
  const target = matchTargets(scope, computer, groupIds);
  if (target) return { inScope: true, reason: `targeted by ${label(target.kind, target.id)}` };
  return { inScope: false, reason: 'not targeted: neither listed nor in a targeted group or segment' };
}

/** Whether a policy applies to a computer now: enabled, inside its activation window (UTC), then scope. */
export function evaluatePolicyScope(
  policy: { enabled: boolean; activeFrom: string | null; activeUntil: string | null; scope: PolicyScope },
  computer: ScopedComputer, groupIds: ReadonlySet<number>, names: NameLookup, now: number,
): ScopeDecision {
  if (!policy.enabled) return { inScope: false, reason: 'policy is disabled' };
  const activation = checkActivation(policy, now);
  if (!activation.active) return { inScope: false, reason: activation.reason };
  return evaluateScope(policy.scope, computer, groupIds, names);
}

function matchTargets(
  targets: { computers: readonly number[]; groups: readonly number[]; segments: readonly number[] },
  computer: ScopedComputer, groupIds: ReadonlySet<number>,
): { kind: ScopeObjectKind; id: number } | undefined {
  if (targets.computers.includes(computer.id)) return { kind: 'computer', id: computer.id };
  const group = targets.groups.find((g) => groupIds.has(g));
  if (group !== undefined) return { kind: 'group', id: group };
  if (computer.segmentId !== null && targets.segments.includes(computer.segmentId)) {
    return { kind: 'segment', id: computer.segmentId };
  }
  return undefined;
}
