import type { Transaction } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { PolicyInput, type Policy, type PolicyPatch } from '../../shared/schemas/policy.js';
import type { Database } from '../db/database.js';
import type { PolicyRow } from '../db/models/policies.js';
import { policyReferences } from '../policies/references.js';
import { keepStoredSecrets, withoutSecrets, type SecretIndexes } from './policy-secrets.js';
import { withoutId } from './without-id.js';

/** A stored policy row as the API returns it. */
export function policyView(row: PolicyRow): Policy {
  return { id: row.id, name: row.name, ...(JSON.parse(row.definition) as Omit<PolicyInput, 'name'>) };
}

/** CRUD of policies, each checked against the computers, groups and scripts it names; `onChange` marks the fleet content changed inside each write. */
export class PolicyService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly onChange: (transaction: Transaction) => Promise<void>,
    /** Scripts by id, for which parameters they mark secret (answers hide those values). */
    private readonly scripts: () => Promise<SecretIndexes>,
  ) {}

  /** A policy as an API answer: secret parameter values hidden. */
  private async view(row: PolicyRow): Promise<Policy> {
    return withoutSecrets(policyView(row), await this.scripts());
  }

  async list(page: number, perPage: number) {
    const { rows, count } = await this.db.models.Policy.findAndCountAll({ order: [['id', 'ASC']], offset: (page - 1) * perPage, limit: perPage });
    const scripts = await this.scripts();
    return { items: rows.map((r) => withoutSecrets(policyView(r), scripts)), total: count };
  }

  async get(id: number): Promise<Policy> {
    const row = await this.db.models.Policy.findByPk(id);
    if (!row) throw new NotFoundError(`policy ${id}`);
    return this.view(row);
  }

  /** Every policy with its secrets, by id (bundles, explain; never an API answer). */
  async all(transaction?: Transaction): Promise<Policy[]> {
    const rows = await this.db.models.Policy.findAll({ order: [['id', 'ASC']], transaction });
    return rows.map(policyView);
  }

  /** Names of the policies whose payloads run the script (directly or as an install check). */
  async usingScript(scriptId: number): Promise<string[]> {
    return (await this.all()).filter((p) => policyReferences(p).scripts.includes(scriptId)).map((p) => p.name);
  }

  /** Names of the policies whose scope names this segment. */
  async usingSegment(segmentId: number): Promise<string[]> {
    return (await this.all()).filter((p) => policyReferences(p).segments.includes(segmentId)).map((p) => p.name);
  }

  /** Names of the policies whose scope (targets or exclusions) names the group. */
  async usingGroup(groupId: number): Promise<string[]> {
    return (await this.all()).filter((p) => policyReferences(p).groups.includes(groupId)).map((p) => p.name);
  }

  async create(submitted: PolicyInput): Promise<Policy> {
    const now = new Date(this.clock.now());
    const input = keepStoredSecrets(submitted, undefined);
    const row = await this.db.write(async (transaction) => {
      await this.onChange(transaction);
      await this.validate(input, undefined, transaction);
      return this.db.models.Policy.create({ name: input.name, definition: definition(input), createdAt: now, updatedAt: now }, { transaction });
    });
    return this.view(row);
  }

  /** Replaces a policy (`PUT`) or merges a patch onto it and re-validates (`PATCH`). */
  async update(id: number, change: { replace: PolicyInput } | { patch: PolicyPatch }): Promise<Policy> {
    const row = await this.db.write(async (transaction) => {
      await this.onChange(transaction);
      const existing = await this.db.models.Policy.findByPk(id, { transaction });
      if (!existing) throw new NotFoundError(`policy ${id}`);
      const stored = policyView(existing);
      const merged = 'replace' in change ? change.replace : PolicyInput.parse({ ...withoutId(stored), ...change.patch });
      const input = keepStoredSecrets(merged, stored);
      await this.validate(input, id, transaction);
      return existing.update({ name: input.name, definition: definition(input), updatedAt: new Date(this.clock.now()) }, { transaction });
    });
    return this.view(row);
  }

  /** Deletes a policy and its logs. */
  async remove(id: number): Promise<void> {
    await this.db.write(async (transaction) => {
      await this.onChange(transaction);
      await this.db.models.PolicyLog.destroy({ where: { policyId: id }, transaction });
      if (!(await this.db.models.Policy.destroy({ where: { id }, transaction }))) throw new NotFoundError(`policy ${id}`);
    });
  }

  // Segments and packages come with their own features; until then their ids are accepted as given.
  private async validate(input: PolicyInput, self: number | undefined, transaction: Transaction): Promise<void> {
    const { Computer, Group, Policy, Script } = this.db.models;
    const clash = await Policy.findOne({ where: { name: input.name }, transaction });
    if (clash && clash.id !== self) throw new ConflictError(`policy "${input.name}" exists`);
    const refs = policyReferences(input);
    const problems: string[] = [];
    for (const [label, model, ids] of [['computers', Computer, refs.computers], ['groups', Group, refs.groups], ['scripts', Script, refs.scripts]] as const) {
      if (!ids.length) continue;
      const found = new Set((await (model as typeof Computer).findAll({ where: { id: ids }, attributes: ['id'], transaction })).map((r) => r.id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length) problems.push(`${label} not found: ${missing.join(', ')}`);
    }
    if (problems.length) throw new ValidationError(`policy names missing objects: ${problems.join('; ')}`, { missing: problems });
  }
}

function definition(input: PolicyInput): string {
  const { name: _name, ...rest } = input;
  return JSON.stringify(rest);
}
