import type { Transaction } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { ScriptInput, type Script, type ScriptPatch } from '../../shared/schemas/script.js';
import type { Database } from '../db/database.js';
import type { ScriptRow } from '../db/models/policies.js';
import { withoutId } from './without-id.js';

/** A stored script row as the API returns it. */
export function scriptView(row: ScriptRow): Script {
  return { id: row.id, name: row.name, ...(JSON.parse(row.definition) as Omit<ScriptInput, 'name'>) };
}

/** CRUD of policy scripts; `onChange` marks the fleet content changed inside each write; scripts used by a policy cannot be deleted. */
export class ScriptService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly usedBy: (scriptId: number) => Promise<string[]>,
    private readonly onChange: (transaction: Transaction) => Promise<void>,
  ) {}

  async list(page: number, perPage: number) {
    const { rows, count } = await this.db.models.Script.findAndCountAll({ order: [['id', 'ASC']], offset: (page - 1) * perPage, limit: perPage });
    return { items: rows.map(scriptView), total: count };
  }

  async get(id: number): Promise<Script> {
    const row = await this.db.models.Script.findByPk(id);
    if (!row) throw new NotFoundError(`script ${id}`);
    return scriptView(row);
  }

  /** Every script by id (bundle building). */
  async all(): Promise<Map<number, Script>> {
    const rows = await this.db.models.Script.findAll();
    return new Map(rows.map((r) => [r.id, scriptView(r)]));
  }

  async create(input: ScriptInput): Promise<Script> {
    const now = new Date(this.clock.now());
    const row = await this.db.write(async (transaction) => {
      await this.onChange(transaction);
      await this.requireFreeName(input.name, undefined, transaction);
      return this.db.models.Script.create({ name: input.name, definition: definition(input), createdAt: now, updatedAt: now }, { transaction });
    });
    return scriptView(row);
  }

  /** Replaces a script (`PUT`), or merges a patch onto it and re-validates (`PATCH`). */
  async update(id: number, change: { replace: ScriptInput } | { patch: ScriptPatch }): Promise<Script> {
    const row = await this.db.write(async (transaction) => {
      await this.onChange(transaction);
      const existing = await this.db.models.Script.findByPk(id, { transaction });
      if (!existing) throw new NotFoundError(`script ${id}`);
      const input = 'replace' in change ? change.replace : ScriptInput.parse({ ...withoutId(scriptView(existing)), ...change.patch });
      await this.requireFreeName(input.name, id, transaction);
      return existing.update({ name: input.name, definition: definition(input), updatedAt: new Date(this.clock.now()) }, { transaction });
    });
    return scriptView(row);
  }

  async remove(id: number): Promise<void> {
    await this.db.write(async (transaction) => {
      await this.onChange(transaction);
      const users = await this.usedBy(id);
      if (users.length) throw new ConflictError(`script ${id} is used by ${users.map((n) => `"${n}"`).join(', ')}`);
      if (!(await this.db.models.Script.destroy({ where: { id }, transaction }))) throw new NotFoundError(`script ${id}`);
    });
  }

  private async requireFreeName(name: string, self: number | undefined, transaction: Transaction): Promise<void> {
    const clash = await this.db.models.Script.findOne({ where: { name }, transaction });
    if (clash && clash.id !== self) throw new ConflictError(`script "${name}" exists`);
  }
}

function definition(input: ScriptInput): string {
  const { name: _name, ...rest } = input;
  return JSON.stringify(rest);
}
