import type { KeyObject } from 'node:crypto';
import { AppError } from '../shared/errors.js';
import { AlreadyRunningError } from '../shared/fs/pid-lock.js';
import { Bundle, type CheckinResponse } from '../shared/schemas/checkin.js';
import { publicKeyFromPem, verifyJson } from '../shared/signing.js';
import { rotateOnRequest } from './management/password-escrow.js';
import { ResultQueue } from './policy/result-queue.js';
import { deliverResults, runPolicies, type PolicyRunSummary } from './policy/run-policies.js';
import { recon, type ReconResult } from './recon.js';
import type { AgentRuntime } from './runtime.js';

/** The coordinator sent a bundle that is not signed by its online key or is for another computer. */
export class BundleRejectedError extends AppError {
  constructor(message: string) { super('BUNDLE_REJECTED', message, 502); }
}

/** The bundle of a modified answer once its signature (online key) and computer UUID check out; throws `BundleRejectedError` otherwise. */
export function verifiedBundle(answer: Extract<CheckinResponse, { status: 'modified' }>, onlinePublicKey: KeyObject, uuid: string): Bundle {
  const bundle = Bundle.parse(answer.bundle);
  if (!verifyJson(bundle, answer.signature, onlinePublicKey)) {
    throw new BundleRejectedError('bundle signature does not verify against the online key from enrollment');
  }
  if (bundle.computerUuid !== uuid) throw new BundleRejectedError('bundle is for another computer');
  return bundle;
}

/** What one check-in did. */
export interface CheckinResult {
  status: 'modified' | 'not-modified';
  nextCheckinSeconds: number;
  inventory?: ReconResult;
  /** The trigger's policy run; absent when another run held the lock. */
  policies?: PolicyRunSummary;
}

/** Options of one check-in. */
export interface CheckinOptions {
  signal?: AbortSignal;
  /** The user the trigger's policies run for ($3). */
  user?: string | null;
}

/**
 * One check-in: delivers queued policy results, sends the held bundle's etag, verifies and stores a new
 * bundle, reports inventory when the coordinator says it is due, then runs the policies of `trigger`.
 */
export async function checkin(rt: AgentRuntime, trigger = 'checkin', opts: CheckinOptions = {}): Promise<CheckinResult> {
  const { state } = rt;
  const { signal } = opts;
  // Delivered first, so the bundle this check-in gets already counts those runs.
  await deliverResults(rt, signal);
  const requestedAt = rt.clock.now();
  const answer = await rt.client.checkin(state.computerId, trigger, state.etag, signal);
  if (answer.status === 'modified') {
    const bundle = verifiedBundle(answer, publicKeyFromPem(state.onlinePublicKey), state.uuid);
    state.bundle = bundle;
    state.bundleSignature = answer.signature;
    state.etag = answer.etag;
    await new ResultQueue(rt.store.dir, rt.logger).forgetDeliveredBefore(requestedAt);
  }
  state.checkinIntervalSeconds = answer.nextCheckinSeconds;
  state.lastCheckinAt = rt.clock.now();
  await rt.store.save(state);
  rt.logger.debug({ trigger, status: answer.status }, 'checked in');
  const result: CheckinResult = { status: answer.status, nextCheckinSeconds: answer.nextCheckinSeconds };
  if (answer.rotatePassword) await rotateOnRequest(rt, answer.rotatePassword, signal);
  if (answer.inventoryDue) result.inventory = await recon(rt, { signal });
  try {
    result.policies = await runPolicies(rt, { trigger, user: opts.user, signal });
  } catch (err) {
    if (!(err instanceof AlreadyRunningError)) throw err;
    rt.logger.warn({ trigger }, 'another policy run is in progress; skipping this trigger\'s policies');
  }
  return result;
}
