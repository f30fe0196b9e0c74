import { RemoteError } from '../../shared/errors.js';
import { checkin, type CheckinResult } from '../checkin.js';
import type { AgentRuntime } from '../runtime.js';
import { runPolicies, type PolicyRunSummary } from './run-policies.js';

/** What a trigger did: the check-in (absent when offline) and the policy run. */
export interface TriggerResult { checkin?: CheckinResult; policies?: PolicyRunSummary; offline: boolean }

/**
 * Runs a trigger's policies (`homing agent policy`, `homing agent trigger`): checks in first for a fresh bundle;
 * when the coordinator is unreachable, runs from the bundle held and leaves the results queued on disk.
 */
export async function runTrigger(rt: AgentRuntime, trigger: string, opts: { user?: string | null; signal?: AbortSignal } = {}): Promise<TriggerResult> {
  try {
    const result = await checkin(rt, trigger, opts);
    return { checkin: result, policies: result.policies, offline: false };
  } catch (err) {
    if (!(err instanceof RemoteError) || !err.retryable || opts.signal?.aborted) throw err;
    rt.logger.warn({ err: { code: err.code, message: err.message } }, 'coordinator unreachable; running from the bundle held');
    return { policies: await runPolicies(rt, { trigger, ...opts }), offline: true };
  }
}

/** One line per policy run or skipped, then a delivery line: what the CLI prints. */
export function describePolicyRun(trigger: string, summary: PolicyRunSummary | undefined): string {
  if (!summary) return 'Policies: another policy run is in progress; nothing run.\n';
  const lines: string[] = [];
  for (const r of summary.ran) {
    const problems = r.items.filter((i) => i.status === 'failed').map((i) => `item ${i.index + 1} (${i.type}): ${i.message}`);
    lines.push(`Policy "${r.name}": ${r.status}${problems.length ? ` — ${problems.join('; ')}` : ` (${r.items.length} item${r.items.length === 1 ? '' : 's'})`}.`);
  }
  for (const s of summary.skipped) lines.push(`Policy "${s.name}": skipped — ${s.reason}.`);
  if (!lines.length) lines.push(`Policies: none due for trigger ${trigger}.`);
  if (summary.ran.length || summary.queued) {
    lines.push(`Results: ${summary.delivered} delivered${summary.queued ? `, ${summary.queued} queued for the next check-in` : ''}.`);
  }
  return `${lines.join('\n')}\n`;
}
