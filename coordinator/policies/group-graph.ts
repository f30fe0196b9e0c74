import { ValidationError } from '../../shared/errors.js';

/** A group as the dependency graph sees it: the groups its `member of` criteria name. */
export interface GroupNode {
  id: number;
  name: string;
  dependsOn: readonly number[];
}

/**
 * Orders groups so each comes after every group it refers to (ties by id, so the order is stable).
 * Refuses references to missing groups and cycles (ValidationError naming the cycle); call it with the
 * proposed group in place before saving.
 */
export function planEvaluationOrder(groups: readonly GroupNode[]): number[] {
  const byId = new Map(groups.map((g) => [g.id, g]));
  for (const g of groups) {
    for (const dep of g.dependsOn) {
      if (!byId.has(dep)) throw new ValidationError(`group "${g.name}" refers to missing group ${dep}`);
    }
  }
  const done = new Set<number>();
  const path: number[] = [];
  const onPath = new Set<number>();
  const order: number[] = [];
  const visit = (id: number): void => {
    if (done.has(id)) return;
    if (onPath.has(id)) {
      const cycle = [...path.slice(path.indexOf(id)), id];
      const names = cycle.map((c) => `"${byId.get(c)!.name}"`).join(' → ');
      throw new ValidationError(`group references form a cycle: ${names}`, { cycle });
    }
    path.push(id);
    onPath.add(id);
    for (const dep of [...byId.get(id)!.dependsOn].sort((a, b) => a - b)) visit(dep);
    path.pop();
    onPath.delete(id);
    done.add(id);
    order.push(id);
  };
  for (const id of [...byId.keys()].sort((a, b) => a - b)) visit(id);
  return order;
}
