import type { Transaction } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { GroupInput, type Criterion, type GroupPatch, type GroupPreview, type GroupPreviewInput } from '../../shared/schemas/group.js';
import type { Inventory } from '../../shared/schemas/inventory.js';
import type { Database } from '../db/database.js';
import type { GroupRow } from '../db/models/policies.js';
import { compileCriteria } from '../policies/criteria.js';
import { planEvaluationOrder } from '../policies/group-graph.js';
import { bumpBundleSerials } from './bundle-serial.js';
import type { MembershipService } from './membership-service.js';

const PREVIEW_PAGE = 1000;

/**
 * CRUD of static and smart computer groups. Every save recompiles all groups in its transaction, so bad
 * criteria, references to missing groups and cycles are refused with nothing stored, then recalculates memberships.
 */
export class GroupService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly memberships: MembershipService,
    private readonly usedByPolicies: (groupId: number) => Promise<string[]>,
  ) {}

  async list(page: number, perPage: number) {
    const { rows, count } = await this.db.models.Group.findAndCountAll({ order: [['id', 'ASC']], offset: (page - 1) * perPage, limit: perPage });
    return { items: await Promise.all(rows.map((r) => this.view(r))), total: count };
  }

  async get(id: number) {
    return this.view(await this.find(id));
  }

  /** Group names by id (explain reasons). */
  async names(): Promise<Map<number, string>> {
    const rows = await this.db.models.Group.findAll({ attributes: ['id', 'name'] });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async create(input: GroupInput) {
    const id = await this.db.write(async (transaction) => {
      await this.memberships.beginGroupChange(transaction);
      await this.requireFreeName(input.name, undefined, transaction);
      const now = new Date(this.clock.now());
      const row = await this.db.models.Group.create({
        name: input.name, kind: input.kind, criteria: input.kind === 'smart' ? JSON.stringify(input.criteria) : null, createdAt: now, updatedAt: now,
      }, { transaction });
      if (input.kind === 'static') await this.setStaticMembers(row.id, input.computerIds, transaction);
      await this.memberships.recalculateAll(transaction);
      return row.id;
    });
    return this.get(id);
  }

  /** Replaces a group (`PUT`) or merges a patch onto it (`PATCH`); the kind never changes. */
  async update(id: number, change: { replace: GroupInput } | { patch: GroupPatch }) {
    await this.db.write(async (transaction) => {
      await this.memberships.beginGroupChange(transaction);
      const row = await this.find(id, transaction);
      const input = 'replace' in change ? change.replace : GroupInput.parse({ ...(await this.stored(row, transaction)), ...change.patch });
      if (input.kind !== row.kind) throw new ValidationError(`group ${id} is ${row.kind}; its kind cannot change`);
      await this.requireFreeName(input.name, id, transaction);
      await row.update({
        name: input.name, criteria: input.kind === 'smart' ? JSON.stringify(input.criteria) : null, updatedAt: new Date(this.clock.now()),
      }, { transaction });
      if (input.kind === 'static') await this.setStaticMembers(id, input.computerIds, transaction);
      await this.memberships.recalculateAll(transaction);
    });
    return this.get(id);
  }

  /** Deletes a group no policy and no other group refers to. */
  async remove(id: number): Promise<void> {
    await this.db.write(async (transaction) => {
      await this.memberships.beginGroupChange(transaction);
      await this.find(id, transaction);
      const policies = await this.usedByPolicies(id);
      if (policies.length) throw new ConflictError(`group ${id} is in the scope of ${policies.map((n) => `"${n}"`).join(', ')}`);
      const smart = await this.db.models.Group.findAll({ where: { kind: 'smart' }, transaction });
      const dependants = smart.filter((g) => compileCriteria(JSON.parse(g.criteria ?? '[]') as Criterion[]).dependsOn.includes(id));
      if (dependants.length) throw new ConflictError(`group ${id} is named by the criteria of ${dependants.map((g) => `"${g.name}"`).join(', ')}`);
      const members = await this.db.models.GroupMember.findAll({ where: { groupId: id }, transaction });
      await this.db.models.GroupMember.destroy({ where: { groupId: id }, transaction });
      await this.db.models.Group.destroy({ where: { id }, transaction });
      await bumpBundleSerials(this.db, members.map((m) => m.computerId), transaction);
      await this.memberships.recalculateAll(transaction);
    });
  }

  /**
   * Which computers `criteria` would match now (count, fleet size, the first `sampleSize` by name), without
   * saving anything: the criteria are checked as a save would (with `groupId`'s stored criteria replaced), and
   * `member of` reads the stored memberships of the groups named.
   */
  async preview(input: GroupPreviewInput, sampleSize = 10): Promise<GroupPreview> {
    const compiled = compileCriteria(input.criteria);
    const self = input.groupId ?? 0;
    if (input.groupId !== undefined) await this.find(input.groupId);
    const rows = await this.db.models.Group.findAll({ attributes: ['id', 'name', 'kind', 'criteria'] });
    const others = rows.filter((r) => r.id !== self).map((r) => ({
      id: r.id, name: r.name, dependsOn: r.kind === 'smart' ? compileCriteria(JSON.parse(r.criteria ?? '[]') as Criterion[]).dependsOn : [],
    }));
    planEvaluationOrder([...others, { id: self, name: 'this group', dependsOn: compiled.dependsOn }]);
    const members = compiled.dependsOn.length
      ? await this.db.models.GroupMember.findAll({ where: { groupId: compiled.dependsOn }, attributes: ['groupId', 'computerId'] })
      : [];
    const groupsOf = new Map<number, Set<number>>();
    for (const m of members) groupsOf.set(m.computerId, (groupsOf.get(m.computerId) ?? new Set()).add(m.groupId));
    const none = new Set<number>();
    let count = 0;
    let total = 0;
    const sample: GroupPreview['sample'] = [];
    for (let offset = 0; ; offset += PREVIEW_PAGE) {
      const page = await this.db.models.Computer.findAll({
        attributes: ['id', 'name', 'inventory', 'segmentId'], order: [['name', 'ASC'], ['id', 'ASC']], offset, limit: PREVIEW_PAGE,
      });
      for (const c of page) {
        const inventory = c.inventory ? (JSON.parse(c.inventory) as Inventory) : null;
        if (!compiled.matches({ id: c.id, name: c.name, segmentId: c.segmentId ?? null, inventory, groupIds: groupsOf.get(c.id) ?? none })) continue;
        count++;
        if (sample.length < sampleSize) sample.push({ id: c.id, name: c.name });
      }
      total += page.length;
      if (page.length < PREVIEW_PAGE) break;
    }
    return { count, total, sample };
  }

  private async view(row: GroupRow) {
    const memberCount = await this.db.models.GroupMember.count({ where: { groupId: row.id } });
    return { id: row.id, ...(await this.stored(row)), memberCount };
  }

  // The group as input: what a patch is merged onto.
  private async stored(row: GroupRow, transaction?: Transaction): Promise<GroupInput> {
    if (row.kind === 'smart') return { kind: 'smart', name: row.name, criteria: JSON.parse(row.criteria ?? '[]') as Criterion[] };
    const members = await this.db.models.GroupMember.findAll({ where: { groupId: row.id }, attributes: ['computerId'], order: [['computerId', 'ASC']], transaction });
    return { kind: 'static', name: row.name, computerIds: members.map((m) => m.computerId) };
  }

  private async find(id: number, transaction?: Transaction) {
    const row = await this.db.models.Group.findByPk(id, { transaction });
    if (!row) throw new NotFoundError(`group ${id}`);
    return row;
  }

  private async requireFreeName(name: string, self: number | undefined, transaction: Transaction): Promise<void> {
    const clash = await this.db.models.Group.findOne({ where: { name }, transaction });
    if (clash && clash.id !== self) throw new ConflictError(`group "${name}" exists`);
  }

  // Static members are the admin's list: every listed computer must exist.
  private async setStaticMembers(groupId: number, computerIds: readonly number[], transaction: Transaction): Promise<void> {
    const { Computer, GroupMember } = this.db.models;
    const wanted = [...new Set(computerIds)];
    const found = await Computer.findAll({ where: { id: wanted }, attributes: ['id'], transaction });
    const missing = wanted.filter((id) => !found.some((c) => c.id === id));
    if (missing.length) throw new ValidationError(`computerIds name missing computers: ${missing.join(', ')}`);
    const before = (await GroupMember.findAll({ where: { groupId }, transaction })).map((m) => m.computerId);
    await GroupMember.destroy({ where: { groupId }, transaction });
    if (wanted.length) await GroupMember.bulkCreate(wanted.map((computerId) => ({ groupId, computerId })), { transaction });
    const changed = [...before.filter((id) => !wanted.includes(id)), ...wanted.filter((id) => !before.includes(id))];
    await bumpBundleSerials(this.db, changed, transaction);
  }
}
