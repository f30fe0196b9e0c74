import { describe, expect, it } from 'vitest';
import { planEvaluationOrder, type GroupNode } from '../../../coordinator/policies/group-graph.js';
import { ValidationError } from '../../../shared/errors.js';

const g = (id: number, name: string, dependsOn: number[] = []): GroupNode => ({ id, name, dependsOn });

describe('planEvaluationOrder', () => {
  it('puts every group after the groups it refers to', () => {
    const groups = [g(1, 'Lab', [3, 2]), g(2, 'Macs', [4]), g(3, 'Sonoma', [4]), g(4, 'All'), g(5, 'Loose')];
    const order = planEvaluationOrder(groups);
    expect(order).toHaveLength(5);
    for (const group of groups) {
      for (const dep of group.dependsOn) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(group.id));
    }
    expect(order).toEqual([4, 2, 3, 1, 5]);
  });

  it('is stable regardless of input order', () => {
    const groups = [g(1, 'a', [2]), g(2, 'b'), g(3, 'c', [2])];
    expect(planEvaluationOrder([...groups].reverse())).toEqual(planEvaluationOrder(groups));
  });

  it('refuses a cycle and names it', () => {
    const groups = [g(1, 'Lab Macs', [2]), g(2, 'Sonoma', [3]), g(3, 'Physics', [1]), g(4, 'Other')];
    let err: unknown;
    try { planEvaluationOrder(groups); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toBe('group references form a cycle: "Lab Macs" → "Sonoma" → "Physics" → "Lab Macs"');
    expect((err as ValidationError).details).toEqual({ cycle: [1, 2, 3, 1] });
  });

  it('refuses a group that refers to itself', () => {
    expect(() => planEvaluationOrder([g(1, 'Self', [1])])).toThrow('cycle: "Self" → "Self"');
  });

  it('refuses a reference to a missing group', () => {
    expect(() => planEvaluationOrder([g(1, 'Lab', [9])])).toThrow('group "Lab" refers to missing group 9');
  });

  it('handles long dependency chains', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => g(i + 1, `g${i + 1}`, i === 0 ? [] : [i]));
    expect(planEvaluationOrder(chain.reverse())).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
  });
});
