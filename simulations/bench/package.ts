/**
 * `npm run bench:package`: the package pipeline against baselines measured in the same run — chunk + hash beside
 * sha256sum, the agent's verified download from the origin beside curl + sha256sum from nginx over mTLS, and the
 * bytes a small change costs. See `--help`.
 */
import '../../shared/polyfill.js';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPackage } from '../../coordinator/pkg/build.js';
import { measureChunking } from './package/chunking.js';
import { changeInPlace, measureDelta } from './package/delta.js';
import { measureDownload } from './package/download.js';
import { parsePackageBenchOptions, USAGE, type PackageBenchOptions } from './package/options.js';
import { startPackageRig, type PackageRig } from './package/package-rig.js';
import { allPass, formatPackageReport, type PackageBenchReport } from './package/report.js';
import { log, progress } from './progress.js';
import type { Resources } from './resources.js';
import { runBench } from './run-bench.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const MiB = 1024 * 1024;

/** Writes `mib` MiB of random bytes (incompressible, like an installer payload) to `file`. */
async function writeRandomFile(file: string, mib: number): Promise<void> {
  const bar = progress(`writing a ${mib} MiB random payload`, mib, 'MiB');
  const fh = await open(file, 'wx');
  try {
    for (let done = 0; done < mib; done += 4) {
      const n = Math.min(4, mib - done);
      await fh.write(randomBytes(n * MiB));
      bar.update(done + n);
    }
  } finally {
    await fh.close();
    bar.stop();
  }
}

/** Builds the package of `srcDir` into its own directory (nginx serves that directory); returns the file and seconds taken. */
async function build(srcDir: string, outDir: string, version: string): Promise<{ file: string; seconds: number }> {
  await mkdir(outDir, { recursive: true, mode: 0o755 });
  const file = join(outDir, `bench-${version}.pkg`);
  const started = performance.now();
  await buildPackage({ srcDir, name: 'Bench Payload', version, targetPrefix: '/opt/bench', outFile: file });
  return { file, seconds: (performance.now() - started) / 1000 };
}

async function main(opts: PackageBenchOptions, resources: Resources): Promise<PackageBenchReport> {
  const loadAverageBefore = loadavg();
  const work = resources.tempDir('homing-bench-package-');
  // nginx's workers run unprivileged and must reach the package files.
  await chmod(work, 0o755);
  const srcDir = join(work, 'tree');
  await mkdir(join(srcDir, 'share'), { recursive: true });
  const dataFile = join(srcDir, 'share', 'payload.bin');
  await writeRandomFile(dataFile, opts.mib);
  const bytes = opts.mib * MiB;
  const report: PackageBenchReport = {
    setup: { node: process.version, cpus: cpus().length, mib: opts.mib, runs: opts.runs, changePercent: opts.changePercent, loadAverageBefore, loadAverageAfter: [] },
    notes: [],
  };

  if (opts.phases.includes('chunking')) {
    const bar = progress('chunk + hash vs sha256sum and openssl', opts.runs * 3, 'runs');
    let done = 0;
    report.chunking = await measureChunking(dataFile, bytes, opts.runs, () => bar.update(++done));
    bar.stop();
  }
  log('building the package (pkg build)');
  const v1 = await build(srcDir, join(work, 'v1'), '1.0');
  report.buildSeconds = v1.seconds;

  if (opts.phases.includes('download') || opts.phases.includes('delta')) {
    log('starting a coordinator and enrolling an agent');
    const rig: PackageRig = await startPackageRig(resources, repoRoot, log, opts.cpuProfileDir ? resolve(opts.cpuProfileDir) : undefined);
    try {
      let started = performance.now();
      const first = await rig.upload(v1.file);
      report.uploadSeconds = (performance.now() - started) / 1000;
      if (opts.phases.includes('download')) {
        const bar = progress('agent download vs curl + sha256sum', opts.runs * 2, 'runs');
        let done = 0;
        report.download = await measureDownload(rig, resources, v1.file, first.id, first.size, opts.runs, () => bar.update(++done), log);
        bar.stop();
      } else {
        await rig.agentFetch(first.id);
      }
      if (opts.phases.includes('delta')) {
        log(`changing ${opts.changePercent}% of the payload in one place, rebuilding and updating`);
        const changed = await changeInPlace(dataFile, bytes, opts.changePercent);
        const v2 = await build(srcDir, join(work, 'v2'), '1.1');
        started = performance.now();
        report.delta = await measureDelta(rig, v2.file, changed);
        log(`update uploaded and fetched in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      for (const [msg, n] of rig.coordinator.logCounts()) report.notes.push(`coordinator logged ${n}× "${msg}"`);
    } finally {
      await rig.close();
    }
  }

  report.setup.loadAverageAfter = loadavg();
  const load = Math.max(...loadAverageBefore.slice(0, 1), ...report.setup.loadAverageAfter.slice(0, 1));
  if (load > cpus().length * 0.5) report.notes.push(`NOISY MACHINE: load average up to ${load.toFixed(1)} on ${cpus().length} CPUs; other processes shared the cores, so treat figures and ratios as rough and rerun when it is quiet`);
  report.notes.push('the agent download runs in this process (the agent\'s production code); the coordinator, nginx, curl and sha256sum are separate processes on the same machine');
  return report;
}

await runBench({
  name: 'bench:package', usage: USAGE, parse: parsePackageBenchOptions, run: main, format: formatPackageReport, passed: allPass,
});
