import { Op, type Transaction } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { SegmentInput, type Segment, type SegmentSettings } from '../../shared/schemas/segment.js';
import type { Database } from '../db/database.js';
import type { SegmentRow } from '../db/models/segments.js';
import { bumpBundleSerials } from '../services/bundle-serial.js';
import { syncNodeSegments } from './node-segment-sync.js';
import { segmentColumns, segmentView } from './segment-rows.js';

const SETTINGS_KEY = 'segments:settings';
const DEFAULT_SETTINGS: SegmentSettings = { useReportedAddresses: false };

/** Hooks a segment change runs inside its transaction (stale caches, bundles). */
export type SegmentChanged = (transaction: Transaction) => Promise<void>;

/**
 * CRUD of network segments. Node ids must name joined or pending nodes that are not revoked, and
 * neighbours existing segments other than itself; a segment a policy scope names cannot be deleted.
 * Listed nodes carry the segment in their own `segmentIds`, so they pre-stage what its policies install.
 */
export class SegmentService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly onChange: SegmentChanged,
    private readonly usedByPolicies: (segmentId: number) => Promise<string[]>,
  ) {}

  async list(page: number, perPage: number): Promise<{ items: Segment[]; total: number }> {
    const { rows, count } = await this.db.models.Segment.findAndCountAll({ order: [['id', 'ASC']], offset: (page - 1) * perPage, limit: perPage });
    return { items: rows.map((r) => segmentView(r.get({ plain: true }))), total: count };
  }

  async get(id: number): Promise<Segment> {
    return segmentView((await this.find(id)).get({ plain: true }));
  }

  /** Every segment row (matching and chains). */
  async all(): Promise<SegmentRow[]> {
    return (await this.db.models.Segment.findAll({ order: [['id', 'ASC']] })).map((r) => r.get({ plain: true }));
  }

  async create(input: SegmentInput): Promise<Segment> {
    const id = await this.db.write(async (transaction) => {
      await this.check(input, undefined, transaction);
      const now = new Date(this.clock.now());
      const row = await this.db.models.Segment.create({ ...segmentColumns(input), createdAt: now, updatedAt: now }, { transaction });
      await syncNodeSegments(this.db, row.id, [], input.nodeIds.flat(), transaction);
      await this.onChange(transaction);
      return row.id;
    });
    return this.get(id);
  }

  /** Replaces a segment (`PUT`). */
  async update(id: number, input: SegmentInput): Promise<Segment> {
    await this.db.write(async (transaction) => {
      const row = await this.find(id, transaction);
      await this.check(input, id, transaction);
      const before = (JSON.parse(row.nodeIds) as (number | number[])[]).flat();
      await row.update({ ...segmentColumns(input), updatedAt: new Date(this.clock.now()) }, { transaction });
      await syncNodeSegments(this.db, id, before, input.nodeIds.flat(), transaction);
      await this.onChange(transaction);
    });
    return this.get(id);
  }

  /** Deletes a segment no policy names: neighbours forget it, its computers leave it (and get new bundles). */
  async remove(id: number): Promise<void> {
    await this.db.write(async (transaction) => {
      const row = await this.find(id, transaction);
      const policies = await this.usedByPolicies(id);
      if (policies.length) throw new ConflictError(`segment ${id} is in the scope of ${policies.map((n) => `"${n}"`).join(', ')}`);
      for (const other of await this.db.models.Segment.findAll({ where: { id: { [Op.ne]: id } }, transaction })) {
        const neighbours = JSON.parse(other.neighbourIds) as number[];
        if (neighbours.includes(id)) await other.update({ neighbourIds: JSON.stringify(neighbours.filter((n) => n !== id)) }, { transaction });
      }
      const members = await this.db.models.Computer.findAll({ where: { segmentId: id }, attributes: ['id'], transaction });
      await this.db.models.Computer.update({ segmentId: null }, { where: { segmentId: id }, transaction });
      await bumpBundleSerials(this.db, members.map((m) => m.id), transaction);
      await this.db.models.SegmentTraffic.destroy({ where: { segmentId: id }, transaction });
      await syncNodeSegments(this.db, id, (JSON.parse(row.nodeIds) as (number | number[])[]).flat(), [], transaction);
      await this.db.models.Segment.destroy({ where: { id }, transaction });
      await this.onChange(transaction);
    });
  }

  /** How devices are placed in segments. */
  async settings(): Promise<SegmentSettings> {
    const row = await this.db.models.Setting.findByPk(SETTINGS_KEY);
    return row ? { ...DEFAULT_SETTINGS, ...(JSON.parse(row.value) as Partial<SegmentSettings>) } : DEFAULT_SETTINGS;
  }

  /** Replaces the placement settings; devices move on their next check-in. */
  async updateSettings(settings: SegmentSettings): Promise<SegmentSettings> {
    await this.db.write(async (transaction) => {
      await this.db.models.Setting.upsert({ key: SETTINGS_KEY, value: JSON.stringify(settings) }, { transaction });
      await this.onChange(transaction);
    });
    return settings;
  }

  private async check(input: SegmentInput, self: number | undefined, transaction: Transaction): Promise<void> {
    const clash = await this.db.models.Segment.findOne({ where: { name: input.name }, transaction });
    if (clash && clash.id !== self) throw new ConflictError(`a segment named "${input.name}" exists`);
    const nodeIds = input.nodeIds.flat();
    const nodes = await this.db.models.Node.findAll({ where: { id: nodeIds }, attributes: ['id', 'status'], transaction });
    const usable = new Set(nodes.filter((n) => n.status !== 'revoked').map((n) => n.id));
    const badNodes = nodeIds.filter((n) => !usable.has(n));
    if (badNodes.length) throw new ValidationError(`unknown or revoked node ${badNodes.join(', ')}`, { nodeIds: badNodes });
    if (self !== undefined && input.neighbourIds.includes(self)) throw new ValidationError('a segment cannot be its own neighbour');
    const found = await this.db.models.Segment.findAll({ where: { id: input.neighbourIds }, attributes: ['id'], transaction });
    const missing = input.neighbourIds.filter((n) => !found.some((f) => f.id === n));
    if (missing.length) throw new ValidationError(`unknown neighbour segment ${missing.join(', ')}`, { neighbourIds: missing });
  }

  private async find(id: number, transaction?: Transaction) {
    const row = await this.db.models.Segment.findByPk(id, { transaction });
    if (!row) throw new NotFoundError(`segment ${id}`);
    return row;
  }
}
