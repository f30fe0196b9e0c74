import { AppError } from '../shared/errors.js';
import { Bundle } from '../shared/schemas/checkin.js';
import { publicKeyFromPem, verifyJson } from '../shared/signing.js';
import { recon, type ReconResult } from './recon.js';
import type { AgentRuntime } from './runtime.js';

/** The coordinator sent a bundle that is not signed by its online key or is for another computer. */
export class BundleRejectedError extends AppError {
  constructor(message: string) { super('BUNDLE_REJECTED', message, 502); }
}

/** What one check-in did. */
export interface CheckinResult {
  status: 'modified' | 'not-modified';
  nextCheckinSeconds: number;
  inventory?: ReconResult;
}

/**
 * One check-in: sends the held bundle's etag, verifies and stores a new bundle, and reports
 * inventory when the coordinator says it is due.
 */
export async function checkin(rt: AgentRuntime, trigger = 'checkin', signal?: AbortSignal): Promise<CheckinResult> {
  const { state } = rt;
  const answer = await rt.client.checkin(state.computerId, trigger, state.etag, signal);
  if (answer.status === 'modified') {
    const bundle = Bundle.parse(answer.bundle);
    if (!verifyJson(bundle, answer.signature, publicKeyFromPem(state.onlinePublicKey))) {
      throw new BundleRejectedError('bundle signature does not verify against the online key from enrollment');
    }
    if (bundle.computerUuid !== state.uuid) throw new BundleRejectedError('bundle is for another computer');
    state.bundle = bundle;
    state.bundleSignature = answer.signature;
    state.etag = answer.etag;
  }
  state.checkinIntervalSeconds = answer.nextCheckinSeconds;
  state.lastCheckinAt = rt.clock.now();
  await rt.store.save(state);
  rt.logger.debug({ trigger, status: answer.status }, 'checked in');
  const result: CheckinResult = { status: answer.status, nextCheckinSeconds: answer.nextCheckinSeconds };
  if (answer.inventoryDue) result.inventory = await recon(rt, { signal });
  return result;
}
