import { join } from 'node:path';
import { HashWorkers } from '../../shared/content/hash-workers.js';
import type { AgentRuntime } from '../runtime.js';
import { AgentPackageInstaller } from './agent-package-installer.js';
import { createDistributionSource } from './distribution-source.js';
import { processScriptRunner } from './package-scripts.js';

/** Agent package cache cap (env `HOMING_PACKAGE_CACHE_BYTES`, default 10 GiB). */
export const DEFAULT_CACHE_BYTES = 10 * 1024 ** 3;
const SCRIPT_TIMEOUT_MS = 30 * 60_000;
// Several chunks in flight keep the link busy while one source fails over or a chunk is slow.
const CHUNKS_IN_FLIGHT = 4;

/** The installer a real agent uses: chunks over the bundle's distribution chain (reported per source), cache and receipts in `<state-dir>/packages`, installs under `state.root`. */
export function createAgentPackageInstaller(rt: Omit<AgentRuntime, 'packages'>, cacheMaxBytes = Number(process.env.HOMING_PACKAGE_CACHE_BYTES) || DEFAULT_CACHE_BYTES): AgentPackageInstaller {
  // Chunk and payload hashing on a worker thread (started on first use), beside TLS and the disk on this one.
  const hasher = new HashWorkers();
  const distribution = createDistributionSource(rt, { hasher });
  return new AgentPackageInstaller({
    dir: join(rt.store.dir, 'packages'),
    root: rt.state.root,
    packagePublicKey: rt.state.packagePublicKey,
    manifests: (id, signal) => rt.client.packageManifest(id, signal),
    chunks: distribution.source,
    onDownload: (packageId) => distribution.report(packageId),
    cacheMaxBytes,
    chunksInFlight: CHUNKS_IN_FLIGHT,
    hasher,
    runScript: processScriptRunner(SCRIPT_TIMEOUT_MS),
    now: () => rt.clock.now(),
    logger: rt.logger,
  });
}
