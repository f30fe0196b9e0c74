import type { Payload } from '../schemas/policy.js';

// Jamf's run order: scripts set to "before", packages, scripts set to "after", inventory last.
function stage(p: Payload): number {
  switch (p.type) {
    case 'script': return p.priority === 'before' ? 0 : 2;
    case 'package': return 1;
    case 'inventory': return 3;
  }
}

/**
 * The order a run applies a policy's payloads: scripts "before", packages by priority (1 first, default 10,
 * ties by package name, case-insensitively), scripts "after", inventory last. Scripts keep their listed order.
 */
export function orderPayloads<P extends Payload>(payloads: readonly P[], packageName: (packageId: number) => string): P[] {
  const name = (p: Payload) => (p.type === 'package' ? packageName(p.packageId).toLowerCase() : '');
  // Array.prototype.sort is stable, so equal keys keep the policy's listed order.
  return [...payloads].sort((a, b) => {
    const byStage = stage(a) - stage(b);
    if (byStage !== 0 || a.type !== 'package' || b.type !== 'package') return byStage;
    if (a.priority !== b.priority) return a.priority - b.priority;
    const [na, nb] = [name(a), name(b)];
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}
