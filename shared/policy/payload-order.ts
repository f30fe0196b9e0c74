import type { Payload } from '../schemas/policy.js';

// Jamf's run order: scripts "before", packages, scripts "after", accounts, maintenance, files and processes,
// inventory, restart last (it happens only after the results are reported).
function stage(p: Payload): number {
  switch (p.type) {
    case 'script': return p.priority === 'before' ? 0 : 2;
    case 'package': return 1;
    case 'account': case 'management-account': return 3;
    case 'maintenance': return 4;
    case 'command': case 'kill-process': case 'file': return 5;
    case 'inventory': return 6;
    case 'restart': return 7;
  }
}

/**
 * The order a run applies a policy's payloads: scripts "before", packages by priority (1 first, default 10,
 * ties by package name, case-insensitively), scripts "after", management payloads, inventory, restart last.
 * Items of one stage keep their listed order.
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
