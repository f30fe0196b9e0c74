import { Agent, request } from 'undici';
import { AppError, ConflictError, ValidationError } from '../shared/errors.js';
import { createKeyAndCsr } from '../shared/pki/csr.js';
import { certificateFingerprint } from '../shared/pki/fingerprint.js';
import { checkin, type CheckinResult } from './checkin.js';
import { CoordinatorClient } from './coordinator-client.js';
import { recon, type ReconResult } from './recon.js';
import type { AgentRuntime } from './runtime.js';
import { pickPhase } from './schedule.js';
import { StateStore } from './state.js';

/** How to enroll. */
export interface EnrollOptions {
  coordinatorUrls: string[];
  /** The CA to pin (PEM). */
  caPem: string;
  token: string;
  stateDir: string;
  root: string;
  name?: string;
  /** Replace an existing enrollment in the state dir. */
  force?: boolean;
  localAddress?: string;
  signal?: AbortSignal;
}

/** Enrollment outcome: the runtime of the new identity, its first inventory and check-in. */
export interface EnrollResult { runtime: AgentRuntime; inventory: ReconResult; checkin: CheckinResult }

/**
 * Enrolls this computer: makes a key and CSR, trades them and the token for a certificate, saves
 * the identity, reports a full inventory and checks in with the `enrollment` trigger (running its policies).
 */
export async function enroll(opts: EnrollOptions, deps: Pick<AgentRuntime, 'clock' | 'logger' | 'collect' | 'packages' | 'management'>): Promise<EnrollResult> {
  const store = new StateStore(opts.stateDir);
  if (!opts.force && (await store.isEnrolled())) {
    throw new ConflictError(`${opts.stateDir} already holds an enrollment; pass --force to replace it`);
  }
  const { keyPem, csrPem } = await createKeyAndCsr(opts.name ?? 'homing-agent');
  const bootstrap = new CoordinatorClient(opts.coordinatorUrls, { ca: opts.caPem }, { localAddress: opts.localAddress });
  let answer;
  try {
    answer = await bootstrap.enroll(opts.token, csrPem, opts.name, opts.signal);
  } finally {
    await bootstrap.close();
  }
  const state = {
    computerId: answer.computerId,
    uuid: answer.uuid,
    coordinatorUrls: [...new Set([...opts.coordinatorUrls, ...answer.coordinatorUrls])],
    onlinePublicKey: answer.onlinePublicKey,
    packagePublicKey: answer.packagePublicKey,
    checkinIntervalSeconds: answer.checkinIntervalSeconds,
    phaseSeconds: pickPhase(answer.checkinIntervalSeconds),
    root: opts.root,
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
  };
  const identity = { key: keyPem, cert: answer.certificate, ca: opts.caPem };
  await store.saveEnrollment(identity, state);
  deps.logger.info({ computerId: answer.computerId, uuid: answer.uuid }, 'enrolled');
  const runtime: AgentRuntime = {
    store, state, clock: deps.clock, logger: deps.logger, collect: deps.collect, packages: deps.packages, management: deps.management,
    client: new CoordinatorClient(state.coordinatorUrls, identity, { localAddress: opts.localAddress }), localAddress: opts.localAddress,
  };
  const inventory = await recon(runtime, { full: true, signal: opts.signal });
  const first = await checkin(runtime, 'enrollment', { signal: opts.signal });
  return { runtime, inventory, checkin: first };
}

/**
 * Fetches the coordinator's CA over an unverified connection and accepts it only if its SHA-256
 * fingerprint matches the one the admin gave; every later call verifies against it.
 */
export async function fetchPinnedCa(url: string, fingerprint: string): Promise<string> {
  if (!/^sha256:[0-9a-f]{64}$/i.test(fingerprint)) throw new ValidationError('--ca-fingerprint must look like sha256:<64 hex digits>');
  const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
  try {
    const res = await request(new URL('/device/v1/ca', url), { dispatcher, signal: AbortSignal.timeout(15_000) });
    const body = (await res.body.json()) as { certificate?: string };
    if (res.statusCode !== 200 || typeof body.certificate !== 'string') throw new AppError('CA_UNAVAILABLE', `could not fetch the CA from ${url}`, 502);
    if (certificateFingerprint(body.certificate) !== fingerprint.toLowerCase()) {
      throw new AppError('CA_FINGERPRINT_MISMATCH', `the CA served by ${url} does not match ${fingerprint}`, 400);
    }
    return body.certificate;
  } finally {
    await dispatcher.close();
  }
}
