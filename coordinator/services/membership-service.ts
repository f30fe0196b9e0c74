import type { Transaction } from 'sequelize';
import type { Criterion } from '../../shared/schemas/group.js';
import type { Inventory } from '../../shared/schemas/inventory.js';
import type { Database } from '../db/database.js';
import type { VersionStamps } from '../db/version-stamps.js';
import { GroupEvaluator, type GroupDefinition } from '../policies/membership.js';
import { bumpBundleSerials } from './bundle-serial.js';

/** The compiled groups plus which of them are smart (computed) rather than static (listed). */
interface CompiledGroups { evaluator: GroupEvaluator; smart: ReadonlySet<number> }

/** The parts of a computer that smart-group criteria read. */
export interface MemberCandidate { id: number; name: string; inventory: string | null; segmentId?: number | null }

const PAGE = 500;

/**
 * Keeps stored group memberships current: smart groups are recalculated when a computer's inventory changes
 * and for every computer when a group changes; a computer whose memberships change gets its bundle serial bumped.
 * The compiled groups are cached under the `groups` version stamp: a group change (through any coordinator)
 * takes the stamp's row lock first and an inventory recalculation share-locks it, so the two never interleave.
 */
export class MembershipService {
  private compiled?: { version: string; groups: Promise<CompiledGroups> };

  constructor(private readonly db: Database, private readonly stamps: VersionStamps) {}

  /** Call first in every transaction that changes groups: orders it against recalculations and marks cached groups stale. */
  async beginGroupChange(transaction: Transaction): Promise<void> {
    await this.stamps.bump('groups', transaction);
  }

  // Compiles every group as the transaction sees it; a ValidationError (bad criteria, cycle, missing group) refuses a save.
  private async compile(transaction?: Transaction): Promise<CompiledGroups> {
    const rows = await this.db.models.Group.findAll({ order: [['id', 'ASC']], transaction });
    const defs: GroupDefinition[] = rows.map((r) => (r.kind === 'static'
      ? { id: r.id, name: r.name, kind: 'static' }
      : { id: r.id, name: r.name, kind: 'smart', criteria: JSON.parse(r.criteria ?? '[]') as Criterion[] }));
    return { evaluator: new GroupEvaluator(defs), smart: new Set(defs.filter((d) => d.kind === 'smart').map((d) => d.id)) };
  }

  /** Ids of every group (static and smart) the computer belongs to. */
  async groupIdsOf(computerId: number, transaction?: Transaction): Promise<Set<number>> {
    const rows = await this.db.models.GroupMember.findAll({ where: { computerId }, attributes: ['groupId'], transaction });
    return new Set(rows.map((r) => r.groupId));
  }

  /** Recalculates one computer's smart groups after its inventory or segment changed. */
  async recalculate(computer: MemberCandidate, transaction: Transaction): Promise<void> {
    const version = await this.stamps.read('groups', { transaction, share: true });
    if (this.compiled?.version !== version) {
      const entry = { version, groups: this.compile(transaction) };
      entry.groups.catch(() => { if (this.compiled === entry) this.compiled = undefined; });
      this.compiled = entry;
    }
    const groups = await this.compiled.groups;
    const changed = await this.apply(groups, computer, await this.groupIdsOf(computer.id, transaction), transaction);
    if (changed) await bumpBundleSerials(this.db, [computer.id], transaction);
  }

  /** After a group change (begun with `beginGroupChange`): recompiles and recalculates every computer inside the caller's transaction. */
  async recalculateAll(transaction: Transaction): Promise<void> {
    const version = await this.stamps.read('groups', { transaction });
    const groups = await this.compile(transaction);
    const members = await this.db.models.GroupMember.findAll({ transaction });
    const byComputer = new Map<number, Set<number>>();
    for (const m of members) {
      let set = byComputer.get(m.computerId);
      if (!set) byComputer.set(m.computerId, (set = new Set()));
      set.add(m.groupId);
    }
    const changed: number[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const computers = await this.db.models.Computer.findAll({
        attributes: ['id', 'name', 'inventory', 'segmentId'], order: [['id', 'ASC']], offset, limit: PAGE, transaction,
      });
      for (const c of computers) {
        if (await this.apply(groups, c, byComputer.get(c.id) ?? new Set(), transaction)) changed.push(c.id);
      }
      if (computers.length < PAGE) break;
    }
    await bumpBundleSerials(this.db, changed, transaction);
    // Cache only once committed: the transaction's view may still roll back.
    transaction.afterCommit(() => { this.compiled = { version, groups: Promise.resolve(groups) }; });
  }

  // Writes the difference between stored and computed smart memberships; true when anything changed.
  private async apply(groups: CompiledGroups, computer: MemberCandidate, current: ReadonlySet<number>, transaction: Transaction): Promise<boolean> {
    const inventory = computer.inventory ? (JSON.parse(computer.inventory) as Inventory) : null;
    const staticGroupIds = [...current].filter((id) => !groups.smart.has(id));
    const next = groups.evaluator.membershipsOf({ id: computer.id, name: computer.name, segmentId: computer.segmentId ?? null, inventory, staticGroupIds });
    const added = [...next].filter((id) => groups.smart.has(id) && !current.has(id));
    const removed = [...current].filter((id) => groups.smart.has(id) && !next.has(id));
    const { GroupMember } = this.db.models;
    if (removed.length) await GroupMember.destroy({ where: { computerId: computer.id, groupId: removed }, transaction });
    if (added.length) await GroupMember.bulkCreate(added.map((groupId) => ({ groupId, computerId: computer.id })), { transaction });
    return added.length + removed.length > 0;
  }
}
