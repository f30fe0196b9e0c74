import { isDue, type RunLog } from '../../shared/policy/frequency.js';
import { checkClientLimits } from '../../shared/policy/window.js';
import type { BundlePolicy } from '../../shared/schemas/bundle-policy.js';
import type { LocalRun } from './result-queue.js';

/** What decides which policies run now. */
export interface SelectionContext {
  trigger: string;
  user: string | null;
  now: number;
  /** The client's time zone for client-side limits (IANA name or ±HH:MM). */
  timeZone: string;
  /** Runs the bundle may not show yet (queued, or delivered after it was built). */
  localRuns: readonly LocalRun[];
}

/** The resolve phase's answer: policies to run, and those the trigger named but that may not run now, with why. */
export interface Selection {
  due: BundlePolicy[];
  skipped: { policy: BundlePolicy; reason: string }[];
}

/** Resolve phase: the bundle's policies for this trigger, filtered by client-side limits and execution frequency. */
export function selectDuePolicies(policies: readonly BundlePolicy[], ctx: SelectionContext): Selection {
  const selection: Selection = { due: [], skipped: [] };
  for (const policy of policies) {
    if (!policy.triggers.includes(ctx.trigger)) continue;
    const limits = checkClientLimits(policy.clientLimits, ctx.now, ctx.timeZone);
    if (!limits.allowed) { selection.skipped.push({ policy, reason: limits.reason }); continue; }
    const decision = isDue(policy.frequency, history(policy, ctx.localRuns), ctx.now, { user: ctx.user, retries: policy.retries });
    if (decision.due) selection.due.push(policy);
    else selection.skipped.push({ policy, reason: decision.reason });
  }
  return selection;
}

// The coordinator's logs plus local runs it has not shown yet, each run once (by idempotency key).
function history(policy: BundlePolicy, local: readonly LocalRun[]): RunLog[] {
  const seen = new Set(policy.history.map((h) => h.key));
  const extra = local.filter((r) => r.policyId === policy.id && !seen.has(r.key));
  return [...policy.history, ...extra].map(({ at, status, user }) => ({ at, status, user }));
}
