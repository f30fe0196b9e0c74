import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { StateError } from '../shared/errors.js';
import { atomicWriteFile } from '../shared/fs/atomic-write.js';
import { createKeyAndCsr } from '../shared/pki/csr.js';
import type { NodeJoinRequest } from '../shared/schemas/nodes.js';
import { NodeCoordinatorClient } from './coordinator-client.js';

/** What a joined node keeps in its data dir: its id, certificate and key, the CA and the package key. */
export const NodeIdentity = z.object({
  nodeId: z.number().int(), certPem: z.string(), keyPem: z.string(), caPem: z.string(), packagePublicKey: z.string(), heartbeatSeconds: z.number().int(),
});
/** What a joined node keeps in its data dir. */
export type NodeIdentity = z.infer<typeof NodeIdentity>;

const FILE = 'identity.json';

/** The identity saved by an earlier join, or undefined before the first join. */
export async function loadIdentity(dataDir: string): Promise<NodeIdentity | undefined> {
  const text = await readFile(join(dataDir, FILE), 'utf8').catch((err: NodeJS.ErrnoException) => { if (err.code === 'ENOENT') return undefined; throw err; });
  if (text === undefined) return undefined;
  const parsed = NodeIdentity.safeParse(JSON.parse(text));
  if (!parsed.success) throw new StateError('NODE_IDENTITY_INVALID', `${join(dataDir, FILE)} is damaged; remove the data dir and join again`);
  return parsed.data;
}

/** Joins with a one-time token: new key + CSR, certificate from the coordinator; saves the identity. */
export async function joinCoordinator(
  dataDir: string, urls: string[], caPem: string, registration: Omit<NodeJoinRequest, 'csr'>, signal?: AbortSignal,
): Promise<NodeIdentity> {
  const { keyPem, csrPem } = await createKeyAndCsr(`node ${registration.peerId}`);
  const joined = await NodeCoordinatorClient.join(urls, caPem, { ...registration, csr: csrPem }, signal);
  const identity: NodeIdentity = {
    nodeId: joined.nodeId, certPem: joined.certificate, keyPem, caPem: joined.caCertificate,
    packagePublicKey: joined.packagePublicKey, heartbeatSeconds: joined.heartbeatSeconds,
  };
  await atomicWriteFile(join(dataDir, FILE), JSON.stringify(identity));
  return identity;
}
