import { X509Certificate } from 'node:crypto';
import { RemoteError, StateError } from '../../shared/errors.js';
import { CoordinatorClient } from '../coordinator-client.js';
import { StateStore } from '../state.js';

/** How this agent's identity stands, locally and at the coordinator. */
export interface IdentityStatus {
  state: 'enrolled' | 'not-enrolled' | 'identity-lost' | 'expired' | 'revoked' | 'unreachable';
  computerId?: number;
  certificateNotAfter?: string;
  /** One line a person can act on. */
  message: string;
}

const REENROLL = 're-enroll with a new token: homing agent enroll --force --coordinator URL --ca-file CA --token TOKEN';

/** Checks the state dir, the certificate's dates and what the coordinator says about it (`homing agent status`). */
export async function identityStatus(stateDir: string, now: number, signal?: AbortSignal): Promise<IdentityStatus> {
  const store = new StateStore(stateDir);
  let state, identity;
  try {
    state = await store.load();
    identity = await store.loadIdentity();
  } catch (err) {
    if (!(err instanceof StateError)) throw err;
    return err.code === 'NOT_ENROLLED'
      ? { state: 'not-enrolled', message: `not enrolled (no state in ${stateDir}); enroll with homing agent enroll` }
      : { state: 'identity-lost', message: `identity lost: ${err.message}; ${REENROLL}` };
  }
  const notAfter = new Date(new X509Certificate(identity.cert).validTo).toISOString();
  const base = { computerId: state.computerId, certificateNotAfter: notAfter };
  if (Date.parse(notAfter) <= now) return { ...base, state: 'expired', message: `certificate expired at ${notAfter}; ${REENROLL}` };
  const client = new CoordinatorClient(state.coordinatorUrls, identity, { timeoutMs: 15_000 });
  try {
    const seen = await client.identity(state.computerId, signal);
    return { ...base, state: 'enrolled', message: `enrolled as computer ${seen.computerId} (${seen.uuid}); certificate valid until ${notAfter}` };
  } catch (err) {
    if (!(err instanceof RemoteError)) throw err;
    if (!err.retryable) return { ...base, state: 'revoked', message: `the coordinator refuses this identity (${err.message}); ${REENROLL}` };
    return { ...base, state: 'unreachable', message: `coordinator unreachable (${err.message}); certificate valid until ${notAfter}` };
  } finally {
    await client.close();
  }
}
