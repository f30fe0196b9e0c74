import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { startStaticNginx } from '../baseline.js';
import { PhaseMeter } from '../phase-meter.js';
import type { Resources } from '../resources.js';
import { timings, type Timings } from './chunking.js';
import type { PackageRig } from './package-rig.js';
import { hexOf, timedCommand } from './timed-command.js';

/** Target: the agent's verified download throughput at least this fraction of curl + sha256sum from nginx. */
export const DOWNLOAD_TARGET = 0.8;

/** The agent's verified download beside curl + sha256sum of the same bytes from nginx over mTLS. */
export interface DownloadResult {
  /** Payload bytes the agent fetched per run. */
  agentBytes: number;
  /** Package file bytes curl fetched per run. */
  baselineBytes: number;
  agent: Timings;
  /** curl to a file, then sha256sum of it. */
  baseline: Timings;
  /** Of the baseline time, curl alone (information). */
  curlOnly: Timings;
  /** CPU seconds per run, averaged: the coordinator and the agent (this process) against nginx and curl + sha256sum. */
  cpu: { coordinator: number; agent: number; nginx: number; curlAndSha256sum: number };
  /** Cores other processes kept busy during the runs (the most seen): noise. */
  otherCores: number;
  /** Agent bytes/s over baseline bytes/s (best runs). */
  ratio: number;
  target: number;
  pass: boolean;
}

/**
 * Serves the package file from nginx (`ssl_verify_client on`, the coordinator's certificates) and times, `runs`
 * times in turn: `curl` with the device certificate writing the file, then `sha256sum` of it; and the agent's
 * download + verify of the same package from the coordinator's origin into an empty cache.
 */
export async function measureDownload(
  rig: PackageRig, resources: Resources, packageFile: string, packageId: number, payloadBytes: number, runs: number, tick: () => void, log: (line: string) => void,
): Promise<DownloadResult> {
  const nginx = await startStaticNginx(resources, { dataDir: rig.coordinator.dataDir, root: dirname(packageFile), nginxWorkers: 1, log });
  const out = join(resources.tempDir('homing-bench-curl-'), 'download.pkg');
  const expected = hexOf((await timedCommand('sha256sum', [packageFile])).stdout);
  const url = `${nginx.url}/${encodeURIComponent(basename(packageFile))}`;
  const { ca, cert, key } = rig.tlsFiles;
  const agent: number[] = [];
  const baseline: number[] = [];
  const curlOnly: number[] = [];
  const cpu = { coordinator: 0, agent: 0, nginx: 0, curlAndSha256sum: 0 };
  let otherCores = 0;
  try {
    for (let i = 0; i < runs; i++) {
      let meter = new PhaseMeter(nginx.pids());
      const curl = await timedCommand('curl', ['-sS', '--fail', '--cacert', ca, '--cert', cert, '--key', key, '-o', out, url]);
      const sum = await timedCommand('sha256sum', [out]);
      let usage = meter.stop();
      if (hexOf(sum.stdout) !== expected) throw new Error('the file curl fetched from nginx does not match the package file');
      baseline.push(curl.seconds + sum.seconds);
      curlOnly.push(curl.seconds);
      cpu.nginx += usage.serverCpuSeconds / runs;
      cpu.curlAndSha256sum += (curl.cpuSeconds + sum.cpuSeconds) / runs;
      otherCores = Math.max(otherCores, usage.otherCores - (curl.cpuSeconds + sum.cpuSeconds) / usage.wallSeconds);
      tick();
      await rig.clearCache();
      meter = new PhaseMeter(rig.coordinator.pids());
      const self = process.cpuUsage();
      const started = performance.now();
      const stats = await rig.agentFetch(packageId);
      agent.push((performance.now() - started) / 1000);
      usage = meter.stop();
      const own = process.cpuUsage(self);
      cpu.coordinator += usage.serverCpuSeconds / runs;
      cpu.agent += (own.user + own.system) / 1e6 / runs;
      otherCores = Math.max(otherCores, usage.otherCores);
      if (stats.fetchedBytes !== payloadBytes) throw new Error(`the agent fetched ${stats.fetchedBytes} bytes into an empty cache, expected ${payloadBytes}`);
      tick();
    }
  } finally {
    await nginx.stop();
  }
  const baselineBytes = (await stat(packageFile)).size;
  const a = timings(agent);
  const b = timings(baseline);
  const ratio = (payloadBytes / a.best) / (baselineBytes / b.best);
  return { agentBytes: payloadBytes, baselineBytes, agent: a, baseline: b, curlOnly: timings(curlOnly), cpu, otherCores, ratio, target: DOWNLOAD_TARGET, pass: ratio >= DOWNLOAD_TARGET };
}
