import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runHoming } from '../helpers/cli.js';
import { enrollmentToken, startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { buildTestPackage, upload, workDir, type TreeFile } from '../helpers/packages.js';
import { seededBytes } from '../shared/content/seeded-bytes.js';

const MiB = 1024 * 1024;
const NAME = 'Crashy';
const SMALL_FILES = 600;

interface ReceiptFile { revision: number; state: 'installing' | 'installed'; installDir: string; files: { path: string; type: string; digest?: string }[] }

/**
 * The agent as a real process, SIGKILLed at each install step of an update (download, verify, extract, preinstall,
 * move, postinstall = before the final receipt); after each kill nothing is half-installed, and the next run completes.
 */
describe('packages: agent process killed at each install step', () => {
  let t: TestCoordinator;
  let work: string;
  let stateDir: string;
  let root: string;
  let flags: string;
  let policyCount = 0;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await t.api(method, path, body);
    if (res.status >= 400) throw new Error(`${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const receiptPath = () => join(stateDir, 'packages', 'receipts', `${createHash('sha256').update(NAME).digest('hex')}.json`);
  const receipt = async (): Promise<ReceiptFile | undefined> => {
    const text = await readFile(receiptPath(), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : JSON.parse(text) as ReceiptFile;
  };
  /** Whether the agent's cache holds a chunk (hex digest). */
  const cached = (hex: string) => existsSync(join(stateDir, 'packages', 'cache', 'chunks', hex.slice(0, 2), hex.slice(2, 4), hex));
  const stagingEntries = async () => {
    const dirs = await readdir(join(root, '.homing-staging')).catch(() => [] as string[]);
    return (await Promise.all(dirs.map((d) => readdir(join(root, '.homing-staging', d)).catch(() => [] as string[])))).flat();
  };
  /** Every entry on disk under `dir`, relative, deepest last. */
  const walk = async (dir: string, prefix = ''): Promise<string[]> => {
    const out: string[] = [];
    for (const e of await readdir(join(dir, prefix), { withFileTypes: true }).catch(() => [])) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      out.push(rel);
      if (e.isDirectory()) out.push(...await walk(dir, rel));
    }
    return out;
  };

  /** Version `n` of the package: a big file (many chunks) and many small ones, all changed per version. */
  const tree = (n: number, bigMiB: number): Record<string, TreeFile> => {
    const files: Record<string, TreeFile> = { 'big.bin': { content: seededBytes(`kill-v${n}`, bigMiB * MiB) }, 'bin/tool': { content: `#!/bin/sh\necho v${n}\n`, mode: 0o755 } };
    for (let i = 0; i < SMALL_FILES; i++) files[`many/d${i % 20}/f${i}.txt`] = { content: `file ${i} of version ${n}\n` };
    // A file only some versions have, so updates also remove files.
    if (n % 2 === 0) files[`even-only-${n}.txt`] = { content: 'even\n' };
    return files;
  };
  // The scripts block (sleeping in their own process group) while the test's flag file exists.
  const script = (kind: 'pre' | 'post') => `#!/bin/sh\nif [ -e ${flags}/block-${kind} ]; then echo $$ > ${flags}/${kind}-pid; sleep 600; fi\n`;

  /**
   * Starts `homing agent policy --event NAME`. With `at`, polls it; once it holds, freezes the agent (SIGSTOP), checks
   * it again while nothing moves and kills the agent (SIGKILL); `hit` says whether the kill landed at that point.
   */
  const agentRun = async (event: string, at?: () => Promise<boolean>) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bin/homing.ts', 'agent', 'policy', '--event', event, '--state-dir', stateDir], {
      cwd: PROJECT_ROOT, env: { ...process.env, HOMING_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => { stdout += d; });
    child.stderr!.on('data', (d) => { stderr += d; });
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    let hit = false;
    while (at && child.exitCode === null) {
      if (!(await at())) { await new Promise((r) => setTimeout(r, 2)); continue; }
      child.kill('SIGSTOP');
      hit = await at();
      child.kill('SIGKILL');
      break;
    }
    const code = await closed;
    return { code, stdout, stderr, hit };
  };

  /** Never a receipt without its files or files without a receipt: checks the install dir against the receipt. */
  const expectConsistent = async (expectInstalled?: number) => {
    const r = await receipt();
    const installDir = join(root, 'opt/crashy');
    const onDisk = await walk(installDir);
    if (!r) {
      expect(onDisk).toEqual([]);
      return;
    }
    const listed = new Set(r.files.map((f) => f.path));
    expect(onDisk.filter((p) => !listed.has(p))).toEqual([]);
    if (r.state === 'installed') {
      for (const f of r.files) {
        const path = join(installDir, f.path);
        expect(existsSync(path), path).toBe(true);
        if (f.type === 'file') expect(sha(await readFile(path))).toBe(f.digest);
      }
    }
    if (expectInstalled !== undefined) {
      expect(r).toMatchObject({ state: 'installed', revision: expectInstalled });
      expect(await readFile(join(installDir, 'bin/tool'), 'utf8')).toContain(`echo v${expectInstalled}`);
      expect(await stagingEntries()).toEqual([]);
    }
  };

  beforeAll(async () => {
    t = await startTestCoordinator();
    work = await workDir('homing-pkg-kill-');
    stateDir = join(work, 'state');
    root = join(work, 'root');
    flags = join(work, 'flags');
    await mkdir(flags);
    await mkdir(root);
    const enrolled = await runHoming(['agent', 'enroll', '--coordinator', t.url, '--ca-file', join(t.dataDir, 'ca.pem'), '--token', await enrollmentToken(t), '--state-dir', stateDir, '--root', root], {}, 120_000);
    expect(enrolled.code, enrolled.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => {
    for (const kind of ['pre', 'post']) {
      const pid = Number(await readFile(join(flags, `${kind}-pid`), 'utf8').catch(() => '0'));
      if (pid) try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    await t?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('leaves the previous version or nothing after a kill at download, verify, extract, preinstall, move and postinstall; the next run completes', async () => {
    const computerId = (await api('GET', '/api/v1/computers')).items[0].id as number;
    type Ctx = { version: number; fresh: string[]; chunks: string[] };
    const older = async (c: Ctx) => ((await receipt())?.revision ?? 0) < c.version;
    const steps: { step: string; bigMiB: number; block?: 'pre' | 'post'; at: (c: Ctx) => Promise<boolean> }[] = [
      { step: 'download', bigMiB: 12, at: async (c) => c.fresh.filter(cached).length >= 2 && c.fresh.some((h) => !cached(h)) },
      // The whole payload is read back and hashed after the last chunk lands: a larger payload widens that window.
      { step: 'verify', bigMiB: 32, at: async (c) => c.chunks.every(cached) && (await stagingEntries()).length === 0 && await older(c) },
      { step: 'extract', bigMiB: 8, at: async (c) => (await stagingEntries()).length > 0 && await older(c) },
      { step: 'preinstall', bigMiB: 4, block: 'pre', at: async () => existsSync(join(flags, 'pre-pid')) },
      { step: 'move', bigMiB: 4, at: async (c) => { const r = await receipt(); return r?.state === 'installing' && r.revision === c.version && !existsSync(join(flags, 'post-pid')); } },
      { step: 'postinstall (after the move, before the final receipt)', bigMiB: 4, block: 'post', at: async () => existsSync(join(flags, 'post-pid')) },
    ];
    let completedRuns = 0;
    let policyId = 0;
    for (const [i, s] of steps.entries()) {
      const version = i + 1;
      const file = await buildTestPackage(work, NAME, `1.${version}`, tree(version, s.bigMiB), { targetPrefix: '/opt/crashy', preinstall: script('pre'), postinstall: script('post') });
      const pkg = await upload(t, file);
      const chunks = ((await api('GET', `/api/v1/packages/${pkg.id}`)).manifest.manifest.chunks as { digest: string }[]).map((c) => c.digest.slice(7));
      const event = `crash${++policyCount}`;
      policyId = (await api('POST', '/api/v1/policies', {
        name: `Crash ${s.step}`, triggers: [`custom:${event}`], frequency: 'ongoing', scope: { computers: [computerId] }, payloads: [{ type: 'package', packageId: pkg.id }],
      })).id;
      const ctx = { version, chunks, fresh: chunks.filter((c) => !cached(c)) };
      if (s.block) await writeFile(join(flags, `block-${s.block}`), '');

      const crashed = await agentRun(event, () => s.at(ctx));
      expect(crashed.hit, `${s.step}: the kill did not land in the step (exit ${crashed.code}):\n${crashed.stdout}${crashed.stderr}`).toBe(true);
      if (s.block) {
        process.kill(-Number(await readFile(join(flags, `${s.block}-pid`), 'utf8')), 'SIGKILL');
        await rm(join(flags, `block-${s.block}`));
        await rm(join(flags, `${s.block}-pid`));
      }
      // What the kill left: the previous revision intact (or, from the move on, a receipt naming every file on disk).
      await expectConsistent();
      const left = await receipt();
      if (['download', 'verify', 'extract', 'preinstall'].includes(s.step) && version > 1) expect(left).toMatchObject({ state: 'installed', revision: version - 1 });
      if (s.step.startsWith('move') || s.step.startsWith('postinstall')) expect(left).toMatchObject({ state: 'installing', revision: version });
      expect((await api('GET', `/api/v1/policies/${policyId}/logs`)).total).toBe(0);

      const rerun = await agentRun(event);
      expect(rerun.code, `${s.step} rerun:\n${rerun.stdout}${rerun.stderr}`).toBe(0);
      expect(rerun.stdout).toContain(`Policy "Crash ${s.step}": success`);
      completedRuns += 1;
      await expectConsistent(version);
      // Exactly the completed run was reported; the killed one left no result behind.
      expect((await api('GET', `/api/v1/policies/${policyId}/logs`)).total).toBe(1);
    }
    expect(completedRuns).toBe(steps.length);
    expect(existsSync(join(root, 'opt/crashy/even-only-4.txt'))).toBe(false);
    expect(existsSync(join(root, 'opt/crashy/even-only-6.txt'))).toBe(true);
  }, 300_000);
});
