import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Agent } from 'undici';
import { enroll } from '../../../agent/enroll.js';
import { collectInventory } from '../../../agent/inventory/collect.js';
import { createAgentPackageInstaller } from '../../../agent/packages/create-installer.js';
import type { DownloadStats } from '../../../agent/packages/package-cache.js';
import type { AgentRuntime } from '../../../agent/runtime.js';
import { uploadPackage } from '../../../coordinator/pkg/upload.js';
import { SystemClock } from '../../../shared/clock.js';
import type { PackageSummary } from '../../../shared/schemas/package.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../coordinator-process.js';
import { expectOk, postJson, signInAdmin } from '../devices.js';
import type { Resources } from '../resources.js';

/** PEM files of the enrolled device, for curl. */
export interface DeviceTlsFiles { ca: string; cert: string; key: string }

/** A real coordinator holding packages in its origin store, and a real agent runtime enrolled with it. */
export interface PackageRig {
  coordinator: CoordinatorProcess;
  tlsFiles: DeviceTlsFiles;
  upload(file: string): Promise<PackageSummary>;
  /**
   * The agent's production download + verify path (`createAgentPackageInstaller`: origin over mTLS with the device
   * certificate, chunks in flight, each chunk and the whole payload verified, fsynced cache) for one package.
   * Returns what the agent logged it fetched.
   */
  agentFetch(packageId: number): Promise<DownloadStats>;
  /** Empties the agent's package cache (not part of any timed download). */
  clearCache(): Promise<void>;
  close(): Promise<void>;
}

/** Starts `homing coordinator` as a child process and enrolls an in-process agent (real inventory, real certificate). */
export async function startPackageRig(resources: Resources, repoRoot: string, log: (line: string) => void, cpuProfileDir?: string): Promise<PackageRig> {
  const coordinator = await startCoordinatorProcess(resources, { repoRoot, log, ...(cpuProfileDir ? { cpuProfileDir } : {}) });
  log(`coordinator at ${coordinator.url} (pid ${coordinator.pids()[0]})`);
  const admin = new Agent({ connect: { ca: coordinator.caPem } });
  const bearer = await signInAdmin(admin, coordinator);
  const { token } = expectOk('enrollment token', await postJson(admin, new URL('/api/v1/enrollment-tokens', coordinator.url).toString(), { uses: 1 }, bearer)) as { token: string };
  await admin.close();

  const work = resources.tempDir('homing-bench-agent-');
  const stateDir = join(work, 'state');
  // The installer logs "package fetched" with its download stats; the bench reads them from there.
  const fetched: DownloadStats[] = [];
  const lines = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) {
        if (!line.includes('"package fetched"')) continue;
        const { fetchedChunks, fetchedBytes } = JSON.parse(line) as DownloadStats;
        fetched.push({ fetchedChunks, fetchedBytes });
      }
      done();
    },
  });
  const logger = pino({ level: 'info' }, lines);
  const { runtime } = await enroll(
    { coordinatorUrls: [coordinator.url], caPem: coordinator.caPem, token, stateDir, root: join(work, 'root'), name: 'bench-package-agent' },
    { clock: new SystemClock(), logger, collect: (eas, signal) => collectInventory({ extensionAttributes: eas, signal }) },
  );
  const rt: AgentRuntime = runtime;
  // A fresh installer per empty cache (its chunk store is set up on first use), made outside the timed download.
  let installer = createAgentPackageInstaller(rt);
  const identity = await rt.store.loadIdentity();
  const tlsFiles = { ca: join(work, 'ca.pem'), cert: join(work, 'device.pem'), key: join(work, 'device-key.pem') };
  await Promise.all([writeFile(tlsFiles.ca, identity.ca), writeFile(tlsFiles.cert, identity.cert), writeFile(tlsFiles.key, identity.key, { mode: 0o600 })]);

  return {
    coordinator,
    tlsFiles,
    upload: (file) => uploadPackage({ file, coordinatorUrl: coordinator.url, caPem: coordinator.caPem, token: bearer.authorization.replace(/^Bearer /, '') }),
    async clearCache() {
      await rm(join(stateDir, 'packages'), { recursive: true, force: true });
      installer = createAgentPackageInstaller(rt);
    },
    async agentFetch(packageId) {
      const before = fetched.length;
      await installer.fetch({ type: 'package', packageId, action: 'cache', priority: 10, installCheck: null });
      await new Promise((r) => setImmediate(r));
      const stats = fetched[before];
      if (!stats) throw new Error('the agent did not log its download stats');
      return stats;
    },
    async close() {
      await rt.client.close();
      // A graceful stop, so a CPU profile (--cpu-prof) is written.
      await coordinator.stop();
    },
  };
}
