import { orderPayloads } from '../../shared/policy/payload-order.js';
import { resolveScriptParameters } from '../../shared/policy/script-parameters.js';
import { checkActivation } from '../../shared/policy/window.js';
import type { BundlePayload, BundlePolicy, BundleScript } from '../../shared/schemas/bundle-policy.js';
import type { Payload, Policy, PolicyScope, ScriptParameter } from '../../shared/schemas/policy.js';
import type { Script } from '../../shared/schemas/script.js';
import type { ComputerRow } from '../db/models/computers.js';
import { evaluateScope } from '../policies/scope.js';

/** A policy that is enabled and active now, with its scope and agent-facing content resolved once for the fleet. */
export interface FleetPolicy { scope: PolicyScope; content: Omit<BundlePolicy, 'history'> }

/** Where bundle personalization reads a computer's groups and run history. */
export interface PolicyBundleSources {
  groupIdsOf(computerId: number): Promise<ReadonlySet<number>>;
  recentRuns(computerId: number): Promise<ReadonlyMap<number, BundlePolicy['history']>>;
}

/**
 * The fleet part of every bundle: enabled policies inside their activation window (so the content, and its
 * digest, changes when a window opens or closes), payloads in run order with scripts inline.
 * `packageName` orders packages of equal priority; the packages feature supplies real names.
 */
export function fleetPolicies(
  policies: readonly Policy[], scripts: ReadonlyMap<number, Script>, now: number, packageName: (id: number) => string,
): FleetPolicy[] {
  return policies.filter((p) => p.enabled && checkActivation(p, now).active).map((p) => ({
    scope: p.scope,
    content: {
      id: p.id, name: p.name, triggers: p.triggers, frequency: p.frequency, retries: p.retries, clientLimits: p.clientLimits, selfService: p.selfService,
      payloads: orderPayloads(p.payloads, packageName).flatMap((x) => resolvePayload(x, scripts)),
    },
  }));
}

/** The policies of one computer's bundle: fleet policies whose scope includes it, each with its recent runs here. */
export async function personalPolicies(
  computer: Pick<ComputerRow, 'id' | 'segmentId'>, fleet: readonly FleetPolicy[], sources: PolicyBundleSources,
): Promise<BundlePolicy[]> {
  if (!fleet.length) return [];
  const [groupIds, runs] = await Promise.all([sources.groupIdsOf(computer.id), sources.recentRuns(computer.id)]);
  const target = { id: computer.id, segmentId: computer.segmentId ?? null };
  return fleet
    .filter((p) => evaluateScope(p.scope, target, groupIds, () => undefined).inScope)
    .map((p) => ({ ...p.content, history: runs.get(p.content.id) ?? [] }));
}

// A script deleted meanwhile cannot happen (deletion is refused while a policy uses it), but never send half an item.
function resolvePayload(p: Payload, scripts: ReadonlyMap<number, Script>): BundlePayload[] {
  switch (p.type) {
    case 'inventory':
      return [{ type: 'inventory' }];
    case 'script': {
      const script = bundleScript(scripts.get(p.scriptId), p.parameters);
      return script ? [{ type: 'script', priority: p.priority, script }] : [];
    }
    case 'package': {
      const installCheck = p.installCheckScriptId === null ? null : bundleScript(scripts.get(p.installCheckScriptId), []);
      return [{ type: 'package', packageId: p.packageId, action: p.action, priority: p.priority, installCheck: installCheck ?? null }];
    }
    default:
      // Management payloads need nothing resolved: they travel as stored.
      return [p];
  }
}

function bundleScript(script: Script | undefined, parameters: readonly ScriptParameter[]): BundleScript | undefined {
  if (!script) return undefined;
  return {
    scriptId: script.id, name: script.name, content: script.content, timeoutSeconds: script.timeoutSeconds,
    parameters: resolveScriptParameters(script, parameters).map(({ index, value, secret }) => ({ index, value, secret })),
  };
}
