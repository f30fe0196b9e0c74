import type { Policy } from '../../shared/schemas/policy.js';
import type { Database } from '../db/database.js';
import { policyReferences } from '../policies/references.js';

/** What a node serves, as far as desired content goes. */
export interface NodeScope { id: number; segmentIds: number[] }

/** Decides which packages each node should hold. */
export interface DesiredContentSource {
  /** Per node id, the package ids it should hold: pre-staged from policy scope, plus admin pins. */
  desiredPackageIds(nodes: NodeScope[]): Promise<Map<number, number[]>>;
}

/**
 * Every package of an enabled policy whose scope may reach computers in the node's segments, plus pins.
 * A node with no segments (or a policy scoped by computers/groups, whose segments are unknown until
 * segments exist) pre-stages the package: over-staging costs disk, under-staging costs the check-in wave.
 */
export class PolicyDesiredContent implements DesiredContentSource {
  constructor(private readonly db: Database, private readonly policies: () => Promise<Policy[]>) {}

  async desiredPackageIds(nodes: NodeScope[]): Promise<Map<number, number[]>> {
    const [policies, pins] = await Promise.all([this.policies(), this.db.models.NodePin.findAll({ where: { nodeId: nodes.map((n) => n.id) } })]);
    const enabled = policies.filter((p) => p.enabled);
    return new Map(nodes.map((node) => {
      const ids = new Set(pins.filter((p) => p.nodeId === node.id).map((p) => p.packageId));
      for (const policy of enabled) if (reachesNode(policy, node)) for (const id of policyReferences(policy).packages) ids.add(id);
      return [node.id, [...ids].sort((a, b) => a - b)];
    }));
  }
}

function reachesNode(policy: Policy, node: NodeScope): boolean {
  const { scope } = policy;
  if (!node.segmentIds.length || scope.all || scope.computers.length || scope.groups.length) return true;
  return scope.segments.some((s) => node.segmentIds.includes(s));
}
