import { Agent } from 'undici';
import { createKeyAndCsr } from '../../shared/pki/csr.js';
import type { EnrollResponse } from '../../shared/schemas/enrollment.js';
import { expectOk, postJson, type CoordinatorAccess } from '../bench/devices.js';
import { progress } from '../bench/progress.js';
import type { AdminApi } from './admin-api.js';

/** Most enrollments one token allows (the coordinator's limit). */
const USES_PER_TOKEN = 100_000;

/** Enrolled virtual devices as parallel arrays (a few strings each, no per-device objects). */
export interface EnrolledDevices {
  computerIds: Int32Array;
  uuids: string[];
  certPems: string[];
  /** The one key every certificate was issued for. */
  keyPem: string;
  /** The coordinator's online key, which signs bundles (from enrollment). */
  onlinePublicKey: string;
  /** The coordinator's package key, which signs manifests (from enrollment). */
  packagePublicKey: string;
  seconds: number;
}

/**
 * Enrolls `count` devices through the real enrollment route: each gets its own certificate, serial,
 * computer row and UUID, but all share one key pair and CSR (the coordinator signs a new certificate
 * either way; what it cannot tell apart is only the public key). `concurrency` requests are in flight
 * over keep-alive connections.
 */
export async function enrollFleet(coordinator: CoordinatorAccess, admin: AdminApi, count: number, concurrency: number): Promise<EnrolledDevices> {
  const started = performance.now();
  const { keyPem, csrPem } = await createKeyAndCsr('homing-sim-device');
  const tokens: string[] = [];
  for (let left = count; left > 0; left -= USES_PER_TOKEN) tokens.push(await admin.enrollmentToken(Math.min(left, USES_PER_TOKEN)));
  const agent = new Agent({ connect: { ca: coordinator.caPem }, connections: concurrency, keepAliveTimeout: 30_000 });
  const url = new URL('/device/v1/enroll', coordinator.url).toString();
  const computerIds = new Int32Array(count);
  const uuids: string[] = new Array<string>(count);
  const certPems: string[] = new Array<string>(count);
  let onlinePublicKey = '';
  let packagePublicKey = '';
  const bar = progress(`enrolling ${count} virtual devices`, count, 'devices');
  let next = 0;
  let done = 0;
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const body = JSON.stringify({ token: tokens[Math.floor(i / USES_PER_TOKEN)], csr: csrPem, name: `sim-${i}` });
        const enrolled = expectOk(`enroll device ${i}`, await postJson(agent, url, body)) as EnrollResponse;
        computerIds[i] = enrolled.computerId;
        uuids[i] = enrolled.uuid;
        certPems[i] = enrolled.certificate;
        onlinePublicKey = enrolled.onlinePublicKey;
        packagePublicKey = enrolled.packagePublicKey;
        bar.update(++done);
      }
    }));
  } finally {
    bar.stop();
    await agent.close();
  }
  return { computerIds, uuids, certPems, keyPem, onlinePublicKey, packagePublicKey, seconds: (performance.now() - started) / 1000 };
}
