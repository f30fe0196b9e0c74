import { Op, type Transaction } from 'sequelize';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError } from '../../shared/errors.js';
import { redactSecrets } from '../../shared/policy/redact.js';
import { resolveScriptParameters } from '../../shared/policy/script-parameters.js';
import { truncateOutput } from '../../shared/policy/truncate.js';
import type { BundleRunLog } from '../../shared/schemas/bundle-policy.js';
import type { Policy } from '../../shared/schemas/policy.js';
import { MAX_ITEM_OUTPUT, type PolicyItemResult, type PolicyResult, type PolicyResultsResponse } from '../../shared/schemas/policy-results.js';
import type { Script } from '../../shared/schemas/script.js';
import type { Database } from '../db/database.js';
import type { PolicyLogRow } from '../db/models/policies.js';
import { bumpBundleSerials } from './bundle-serial.js';
import { policyView } from './policy-service.js';

// Runs per policy sent in a bundle: enough for 10 retries plus a margin.
const BUNDLE_HISTORY_PER_POLICY = 20;
const COMPUTER_HISTORY_LIMIT = 200;

/** Stores policy run results exactly once (idempotency keys), serves logs and history, and flushes them. */
export class PolicyLogService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly scripts: () => Promise<Map<number, Script>>,
  ) {}

  /** Stores a device's results; already-known keys are duplicates, results of deleted policies are ignored. */
  async record(computerId: number, results: readonly PolicyResult[]): Promise<PolicyResultsResponse> {
    const scripts = await this.scripts();
    return this.db.write(async (transaction) => {
      const { Policy, PolicyLog } = this.db.models;
      const keys = [...new Set(results.map((r) => r.idempotencyKey))];
      const known = new Set((await PolicyLog.findAll({ where: { computerId, idempotencyKey: keys }, attributes: ['idempotencyKey'], transaction }))
        .map((r) => r.idempotencyKey));
      const policies = new Map((await Policy.findAll({ where: { id: [...new Set(results.map((r) => r.policyId))] }, transaction }))
        .map((r) => [r.id, policyView(r)]));
      const rows: Omit<PolicyLogRow, 'id' | 'flushedAt'>[] = [];
      let duplicates = 0;
      let ignored = 0;
      for (const r of results) {
        const policy = policies.get(r.policyId);
        if (known.has(r.idempotencyKey)) { duplicates++; continue; }
        if (!policy) { ignored++; continue; }
        known.add(r.idempotencyKey);
        const secrets = secretValues(policy, scripts);
        rows.push({
          policyId: r.policyId, computerId, idempotencyKey: r.idempotencyKey, trigger: r.trigger, username: r.username,
          status: r.status, startedAt: new Date(r.startedAt), finishedAt: new Date(r.finishedAt),
          items: JSON.stringify(r.items.map((item) => sanitize(item, secrets))),
        });
      }
      if (rows.length) {
        await PolicyLog.bulkCreate(rows, { transaction, ignoreDuplicates: true });
        await bumpBundleSerials(this.db, [computerId], transaction);
      }
      return { accepted: rows.length, duplicates, ignored };
    });
  }

  /** A policy's runs on every computer, newest first. */
  async logs(policyId: number, page: number, perPage: number) {
    if (!(await this.db.models.Policy.findByPk(policyId, { attributes: ['id'] }))) throw new NotFoundError(`policy ${policyId}`);
    const { rows, count } = await this.db.models.PolicyLog.findAndCountAll({
      where: { policyId }, order: [['finishedAt', 'DESC'], ['id', 'DESC']], offset: (page - 1) * perPage, limit: perPage,
    });
    return { items: rows.map(logView), total: count };
  }

  /** A computer's policy runs, newest first, with policy names. */
  async historyOf(computerId: number) {
    const rows = await this.db.models.PolicyLog.findAll({
      where: { computerId }, order: [['finishedAt', 'DESC'], ['id', 'DESC']], limit: COMPUTER_HISTORY_LIMIT,
      attributes: { exclude: ['items'] },
    });
    const names = new Map((await this.db.models.Policy.findAll({ where: { id: [...new Set(rows.map((r) => r.policyId))] }, attributes: ['id', 'name'] }))
      .map((p) => [p.id, p.name]));
    return rows.map((r) => ({
      policyId: r.policyId, policyName: names.get(r.policyId) ?? `#${r.policyId}`, trigger: r.trigger, username: r.username,
      status: r.status, finishedAt: r.finishedAt.toISOString(), flushed: r.flushedAt !== null,
    }));
  }

  /** This computer's recent unflushed runs per policy, newest first (bundle building). */
  async recentRuns(computerId: number): Promise<Map<number, BundleRunLog[]>> {
    const rows = await this.db.models.PolicyLog.findAll({
      where: { computerId, flushedAt: null }, order: [['finishedAt', 'DESC'], ['id', 'DESC']], limit: 2000,
      attributes: ['policyId', 'idempotencyKey', 'finishedAt', 'status', 'username'],
    });
    const byPolicy = new Map<number, BundleRunLog[]>();
    for (const r of rows) {
      let list = byPolicy.get(r.policyId);
      if (!list) byPolicy.set(r.policyId, (list = []));
      if (list.length < BUNDLE_HISTORY_PER_POLICY) {
        list.push({ key: r.idempotencyKey, at: r.finishedAt.getTime(), status: r.status, user: r.username });
      }
    }
    return byPolicy;
  }

  /** Flushes a computer's logs (of one policy, or all): frequencies stop counting them, so the policies may run again. */
  async flushComputer(computerId: number, policyId?: number): Promise<number> {
    return this.db.write(async (transaction) => {
      if (!(await this.db.models.Computer.findByPk(computerId, { attributes: ['id'], transaction }))) throw new NotFoundError(`computer ${computerId}`);
      return this.flush({ computerId, ...(policyId ? { policyId } : {}) }, transaction);
    });
  }

  /** Flushes a policy's logs on every computer. */
  async flushPolicy(policyId: number): Promise<number> {
    return this.db.write(async (transaction) => {
      if (!(await this.db.models.Policy.findByPk(policyId, { attributes: ['id'], transaction }))) throw new NotFoundError(`policy ${policyId}`);
      return this.flush({ policyId }, transaction);
    });
  }

  private async flush(where: { computerId?: number; policyId?: number }, transaction: Transaction): Promise<number> {
    const { PolicyLog } = this.db.models;
    const live = { ...where, flushedAt: { [Op.is]: null } };
    const affected = await PolicyLog.findAll({ where: live, attributes: ['computerId'], group: ['computerId'], transaction });
    const [count] = await PolicyLog.update({ flushedAt: new Date(this.clock.now()) }, { where: live, transaction });
    await bumpBundleSerials(this.db, affected.map((r) => r.computerId), transaction);
    return count;
  }
}

// Every value a policy passes to a script as secret (the script's secret indexes or the policy's own marks).
function secretValues(policy: Policy, scripts: ReadonlyMap<number, Script>): string[] {
  return policy.payloads.flatMap((p) => {
    const script = p.type === 'script' ? scripts.get(p.scriptId) : undefined;
    return p.type === 'script' && script ? resolveScriptParameters(script, p.parameters).filter((x) => x.secret).map((x) => x.value) : [];
  });
}

function sanitize(item: PolicyItemResult, secrets: readonly string[]): PolicyItemResult {
  return { ...item, message: redactSecrets(item.message, secrets), output: truncateOutput(redactSecrets(item.output, secrets), MAX_ITEM_OUTPUT) };
}

function logView(r: PolicyLogRow) {
  return {
    id: r.id, policyId: r.policyId, computerId: r.computerId, trigger: r.trigger, username: r.username, status: r.status,
    startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt.toISOString(), flushed: r.flushedAt !== null,
    items: JSON.parse(r.items) as PolicyItemResult[],
  };
}
