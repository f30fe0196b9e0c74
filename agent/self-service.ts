import type { BundlePolicy } from '../shared/schemas/bundle-policy.js';
import { SELF_SERVICE_TRIGGER } from '../shared/schemas/policy-results.js';
import { loggedInUsers } from './management/console-user.js';
import { defaultManagementDeps } from './management/management-deps.js';
import { runPolicies, type PolicyRunSummary } from './policy/run-policies.js';
import type { AgentRuntime } from './runtime.js';

/** The Self Service policies of the bundle held (offered whatever their triggers). */
export function selfServicePolicies(rt: AgentRuntime): BundlePolicy[] {
  return (rt.state.bundle?.policies ?? []).filter((p) => p.selfService);
}

/**
 * Runs one Self Service policy for a user (`--user`, else the console user): the run is reported with trigger
 * `self-service` and that username, so the coordinator records who ran what. Frequency does not apply: the user asked.
 */
export async function runSelfService(rt: AgentRuntime, name: string, user?: string, signal?: AbortSignal): Promise<PolicyRunSummary> {
  const who = user ?? (await loggedInUsers((rt.management ?? defaultManagementDeps()).run, signal))[0] ?? null;
  return runPolicies(rt, { trigger: SELF_SERVICE_TRIGGER, user: who, selfService: name, signal });
}
