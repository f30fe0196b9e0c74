import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { NotFoundError } from '../../shared/errors.js';
import { PidLock } from '../../shared/fs/pid-lock.js';
import type { BundlePayload, BundlePolicy } from '../../shared/schemas/bundle-policy.js';
import type { PolicyItemResult, PolicyResult } from '../../shared/schemas/policy-results.js';
import { accountTools } from '../management/accounts/account-tools.js';
import { defaultManagementDeps } from '../management/management-deps.js';
import { performPendingRestart } from '../management/pending-restart.js';
import { recon } from '../recon.js';
import type { AgentRuntime } from '../runtime.js';
import { unavailablePackageInstaller, type ItemOutcome, type PackageItem } from './package-installer.js';
import { applyManagementPayload } from './payloads/apply-management.js';
import type { ManagementContext } from './payloads/management-context.js';
import { ResultQueue } from './result-queue.js';
import { runPolicyScript, type ScriptContext } from './script-item.js';
import { selectDuePolicies } from './select.js';

/** What starts a run. */
export interface PolicyRunOptions {
  /** `checkin`, `startup`, `login`, `logout`, `network`, `enrollment`, `custom:NAME`, or `self-service` with `selfService`. */
  trigger: string;
  /** The user the run is for ($3; once-per-user frequencies). */
  user?: string | null;
  signal?: AbortSignal;
  /** Client time zone for client-side limits; default the system's. */
  timeZone?: string;
  /** Run this Self Service policy (by name) for `user` instead of the trigger's policies. */
  selfService?: string;
}

/** What a run did. */
export interface PolicyRunSummary {
  ran: { policyId: number; name: string; status: 'success' | 'failed'; items: PolicyItemResult[] }[];
  skipped: { policyId: number; name: string; reason: string }[];
  delivered: number;
  /** Results still on disk (the coordinator was unreachable); they go with the next check-in. */
  queued: number;
}

/**
 * One policy run for a trigger, one at a time per state dir (a lock file): resolve (trigger, client-side limits,
 * frequency) → fetch (packages) → apply (payloads in order; a failing item never stops the others) → report
 * (results queued on disk first, then delivered; kept for the next check-in when the coordinator is unreachable).
 */
export async function runPolicies(rt: AgentRuntime, opts: PolicyRunOptions): Promise<PolicyRunSummary> {
  const lock = new PidLock(join(rt.store.dir, 'policy.lock'));
  await lock.acquire();
  try {
    const queue = new ResultQueue(rt.store.dir, rt.logger);
    const user = opts.user ?? null;
    const selection = opts.selfService !== undefined
      ? { due: [selfServicePolicy(rt, opts.selfService)], skipped: [] }
      : selectDuePolicies(rt.state.bundle?.policies ?? [], {
        trigger: opts.trigger, user, now: rt.clock.now(), localRuns: await queue.localRuns(),
        timeZone: opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
    const summary: PolicyRunSummary = {
      ran: [], skipped: selection.skipped.map((s) => ({ policyId: s.policy.id, name: s.policy.name, reason: s.reason })), delivered: 0, queued: 0,
    };
    for (const policy of selection.due) {
      const result = await runPolicy(rt, policy, opts.trigger, user, opts.signal);
      await queue.enqueue(result);
      summary.ran.push({ policyId: policy.id, name: policy.name, status: result.status, items: result.items });
      rt.logger.info({ policyId: policy.id, status: result.status }, 'policy ran');
    }
    if (summary.ran.length) {
      try {
        summary.delivered = await deliverResults(rt, opts.signal);
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        rt.logger.warn({ err: { code: (err as { code?: string }).code, message: (err as Error).message } }, 'policy results queued; the next check-in delivers them');
      }
      summary.queued = (await queue.pending()).length;
    }
    // After reporting, so a restart never loses the run's results; `no-user` restarts wait across check-ins.
    await performPendingRestart(rt.store.dir, managementDeps(rt).run, rt.logger);
    return summary;
  } finally {
    await lock.release();
  }
}

/** Report phase: sends every queued result; rethrows the first delivery failure (results stay queued). */
export function deliverResults(rt: AgentRuntime, signal?: AbortSignal): Promise<number> {
  const queue = new ResultQueue(rt.store.dir, rt.logger);
  return queue.deliver((batch) => rt.client.reportPolicyResults(rt.state.computerId, batch, signal), () => rt.clock.now());
}

async function runPolicy(rt: AgentRuntime, policy: BundlePolicy, trigger: string, user: string | null, signal?: AbortSignal): Promise<PolicyResult> {
  const startedAt = rt.clock.now();
  const installer = rt.packages ?? unavailablePackageInstaller;
  const ctx: ScriptContext = { root: rt.state.root, computerName: rt.state.bundle?.computerName ?? '', username: user, signal };
  const deps = managementDeps(rt);
  const management: ManagementContext = { rt, deps, accounts: accountTools({ platform: deps.platform, run: deps.run, root: deps.accountRoot }), user, signal };
  // Fetch phase: everything is downloaded and verified before anything is applied.
  const fetchFailures = new Map<BundlePayload, string>();
  for (const item of policy.payloads) {
    if (item.type !== 'package') continue;
    try { await installer.fetch(item, signal); } catch (err) {
      if (signal?.aborted) throw err;
      fetchFailures.set(item, (err as Error).message);
    }
  }
  const items: PolicyItemResult[] = [];
  for (const [index, item] of policy.payloads.entries()) {
    const failedFetch = fetchFailures.get(item);
    let outcome: ItemOutcome;
    try {
      outcome = failedFetch !== undefined ? failed(failedFetch) : await applyItem(rt, item, ctx, management, installer, signal);
    } catch (err) {
      if (signal?.aborted) throw err;
      outcome = failed((err as Error).message);
    }
    items.push({ index, type: item.type, ...outcome });
  }
  return {
    idempotencyKey: randomUUID(), policyId: policy.id, trigger, username: user,
    status: items.some((i) => i.status === 'failed') ? 'failed' : 'success',
    startedAt, finishedAt: rt.clock.now(), items,
  };
}

// Apply phase for one item; problems become a failed outcome in the caller.
async function applyItem(
  rt: AgentRuntime, item: BundlePayload, ctx: ScriptContext, management: ManagementContext, installer: NonNullable<AgentRuntime['packages']>,
  signal?: AbortSignal,
): Promise<ItemOutcome> {
  switch (item.type) {
    case 'script':
      return runPolicyScript(item.script, ctx);
    case 'package':
      return applyPackage(item, ctx, installer, signal);
    case 'inventory': {
      const r = await recon(rt, { signal });
      return { status: 'success', message: `inventory: ${r.sent}`, exitCode: null, output: '' };
    }
    default:
      return applyManagementPayload(item, management);
  }
}

function managementDeps(rt: AgentRuntime) {
  return rt.management ?? defaultManagementDeps();
}

/** The bundle's Self Service policy of this name; throws `NOT_FOUND` when there is none. */
export function selfServicePolicy(rt: AgentRuntime, name: string): BundlePolicy {
  const policy = rt.state.bundle?.policies.find((p) => p.selfService && p.name === name);
  if (!policy) throw new NotFoundError(`Self Service policy "${name}"`);
  return policy;
}

// Munki's installcheck: exit 0 means the package is already installed, so the item is skipped.
async function applyPackage(item: PackageItem, ctx: ScriptContext, installer: NonNullable<AgentRuntime['packages']>, signal?: AbortSignal): Promise<ItemOutcome> {
  if (item.installCheck) {
    const check = await runPolicyScript(item.installCheck, ctx);
    if (check.status === 'success') return { status: 'skipped', message: `already installed (install check "${item.installCheck.name}" exited 0)`, exitCode: 0, output: check.output };
  }
  return installer.apply(item, signal);
}

function failed(message: string): ItemOutcome {
  return { status: 'failed', message: message.slice(0, 2000), exitCode: null, output: '' };
}
