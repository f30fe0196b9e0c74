import type { Transaction } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { ExtensionAttributeInput } from '../../shared/schemas/extension-attributes.js';
import type { z } from '../../shared/schemas/zod.js';
import type { Database } from '../db/database.js';
import type { ExtensionAttributeRow } from '../db/models/computers.js';

type Input = z.infer<typeof ExtensionAttributeInput>;

function view(r: ExtensionAttributeRow) {
  return { id: r.id, name: r.name, description: r.description, dataType: r.dataType, script: r.script, enabled: r.enabled, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
}

/** CRUD of script-based extension attributes; `onChange` marks the fleet content changed inside each write. */
export class ExtensionAttributeService {
  constructor(private readonly db: Database, private readonly clock: Clock, private readonly onChange: (transaction: Transaction) => Promise<void>) {}

  async list() {
    const rows = await this.db.models.ExtensionAttribute.findAll({ order: [['id', 'ASC']] });
    return { items: rows.map(view), total: rows.length };
  }

  async get(id: number) {
    const row = await this.db.models.ExtensionAttribute.findByPk(id);
    if (!row) throw new NotFoundError(`extension attribute ${id}`);
    return view(row);
  }

  /** Enabled attributes as agents receive them. */
  async enabledForAgents(): Promise<{ name: string; script: string }[]> {
    const rows = await this.db.models.ExtensionAttribute.findAll({ where: { enabled: true }, order: [['id', 'ASC']] });
    return rows.map((r) => ({ name: r.name, script: r.script }));
  }

  async create(input: Input) {
    const now = new Date(this.clock.now());
    const row = await this.db.write(async (transaction) => {
      await this.onChange(transaction);
      const { ExtensionAttribute } = this.db.models;
      if (await ExtensionAttribute.findOne({ where: { name: input.name }, transaction })) throw new ConflictError(`extension attribute "${input.name}" exists`);
      return ExtensionAttribute.create({ ...input, createdAt: now, updatedAt: now }, { transaction });
    });
    return view(row);
  }

  async update(id: number, input: Input) {
    const row = await this.db.write(async (transaction) => {
      await this.onChange(transaction);
      const { ExtensionAttribute } = this.db.models;
      const existing = await ExtensionAttribute.findByPk(id, { transaction });
      if (!existing) throw new NotFoundError(`extension attribute ${id}`);
      const clash = await ExtensionAttribute.findOne({ where: { name: input.name }, transaction });
      if (clash && clash.id !== id) throw new ConflictError(`extension attribute "${input.name}" exists`);
      return existing.update({ ...input, updatedAt: new Date(this.clock.now()) }, { transaction });
    });
    return view(row);
  }

  async remove(id: number): Promise<void> {
    await this.db.write(async (transaction) => {
      await this.onChange(transaction);
      const n = await this.db.models.ExtensionAttribute.destroy({ where: { id }, transaction });
      if (!n) throw new NotFoundError(`extension attribute ${id}`);
    });
  }
}
