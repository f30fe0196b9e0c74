import { ValidationError } from '../../shared/errors.js';
import type { Criterion } from '../../shared/schemas/group.js';
import type { Inventory } from '../../shared/schemas/inventory.js';
import { compileCriteria, type CompiledCriteria } from './criteria.js';
import type { CriteriaComputer } from './criteria-fields.js';
import { planEvaluationOrder, type GroupNode } from './group-graph.js';

/** A stored group; a static group's members are the computers listing it in `staticGroupIds`. */
export type GroupDefinition =
  | { id: number; name: string; kind: 'static' }
  | { id: number; name: string; kind: 'smart'; criteria: readonly Criterion[] };

/** A computer whose group memberships are computed. */
export interface MembershipComputer {
  id: number;
  name: string;
  segmentId: number | null;
  inventory: Inventory | null;
  staticGroupIds: readonly number[];
}

/**
 * Every group compiled and ordered once; rebuild it when any group changes. Constructing it is also the
 * save-time check: pass all groups with the proposed one in place, and a ValidationError refuses the save.
 */
export class GroupEvaluator {
  private readonly steps: { id: number; criteria: CompiledCriteria | undefined }[];

  constructor(groups: readonly GroupDefinition[]) {
    const compiled = new Map<number, CompiledCriteria>();
    const nodes: GroupNode[] = groups.map((g) => {
      if (g.kind === 'static') return { id: g.id, name: g.name, dependsOn: [] };
      const criteria = compileNamed(g.name, g.criteria);
      compiled.set(g.id, criteria);
      return { id: g.id, name: g.name, dependsOn: criteria.dependsOn };
    });
    this.steps = planEvaluationOrder(nodes).map((id) => ({ id, criteria: compiled.get(id) }));
  }

  /** Ids of every group containing the computer; run it when the computer's inventory or static groups change. */
  membershipsOf(computer: MembershipComputer): Set<number> {
    const statics = new Set(computer.staticGroupIds);
    const groupIds = new Set<number>();
    const view: CriteriaComputer = {
      id: computer.id, name: computer.name, segmentId: computer.segmentId, inventory: computer.inventory, groupIds,
    };
    // Dependencies come first in `steps`, so `member of` sees their final answer.
    for (const { id, criteria } of this.steps) {
      if (criteria ? criteria.matches(view) : statics.has(id)) groupIds.add(id);
    }
    return groupIds;
  }
}

function compileNamed(name: string, criteria: readonly Criterion[]): CompiledCriteria {
  try {
    return compileCriteria(criteria);
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(`group "${name}": ${err.message}`, err.details);
    throw err;
  }
}
