import type { KeyObject } from 'node:crypto';
import { CoordinatorClient } from '../../agent/coordinator-client.js';
import { createKeyAndCsr } from '../../shared/pki/csr.js';
import { publicKeyFromPem } from '../../shared/signing.js';
import { computerAddress, type BuildingPlan } from '../processes/buildings.js';
import { runPool } from './run-pool.js';

/** One enrolled virtual agent: which building it sits in, the address its sockets bind to, and its device certificate. */
export interface VirtualAgent { index: number; building: number; address: string; computerId: number; uuid: string; certPem: string }

/** What every virtual agent shares: one private key (the coordinator signs a distinct certificate per device) and the keys it pins. */
export interface FleetTrust { keyPem: string; caPem: string; onlineKey: KeyObject; packageKey: KeyObject }

/** A fleet enrolled through the real enrollment route. */
export interface VirtualFleet { agents: VirtualAgent[]; trust: FleetTrust }

/**
 * Enrolls `count` virtual agents spread round-robin over `buildings` with one multi-use token. They
 * share one key and CSR: the coordinator sets each certificate's subject and serial itself, so what it
 * and the nodes check per device is unchanged, and 6,000 RSA key generations are saved.
 */
export async function enrollFleet(o: {
  coordinatorUrl: string; caPem: string; token: string; buildings: BuildingPlan[]; count: number; concurrency: number; onEnrolled?: (done: number) => void;
}): Promise<VirtualFleet> {
  const { keyPem, csrPem } = await createKeyAndCsr('homing-sim-agent');
  const client = new CoordinatorClient([o.coordinatorUrl], { ca: o.caPem }, { timeoutMs: 60_000 });
  const agents: VirtualAgent[] = new Array(o.count);
  let onlinePem = '';
  let packagePem = '';
  let done = 0;
  try {
    await runPool(Array.from({ length: o.count }, (_, i) => i), o.concurrency, async (index) => {
      const building = index % o.buildings.length;
      const address = computerAddress(o.buildings[building]!, Math.floor(index / o.buildings.length));
      const answer = await client.enroll(o.token, csrPem, `sim-${building + 1}-${index}`);
      onlinePem = answer.onlinePublicKey;
      packagePem = answer.packagePublicKey;
      agents[index] = { index, building, address, computerId: answer.computerId, uuid: answer.uuid, certPem: answer.certificate };
      o.onEnrolled?.(++done);
    });
  } finally {
    await client.close();
  }
  return { agents, trust: { keyPem, caPem: o.caPem, onlineKey: publicKeyFromPem(onlinePem), packageKey: publicKeyFromPem(packagePem) } };
}
