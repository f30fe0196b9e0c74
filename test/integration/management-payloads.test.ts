import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkin } from '../../agent/checkin.js';
import { enroll } from '../../agent/enroll.js';
import { defaultManagementDeps } from '../../agent/management/management-deps.js';
import type { ReceiptCheck, ReceiptStore } from '../../agent/management/receipts.js';
import { runTrigger } from '../../agent/policy/trigger.js';
import type { AgentRuntime } from '../../agent/runtime.js';
import { ManualClock } from '../../shared/clock.js';
import { silentLogger } from '../../shared/logger.js';
import { isAlive, waitFor } from '../agent/inventory/helpers.js';
import { enrollmentToken, startTestCoordinator, type TestCoordinator } from '../helpers/coordinator.js';
import { sampleInventory } from '../helpers/inventory.js';
import { accountToolsUnavailable, makeAccountRoot, safeToolRunner } from '../helpers/management.js';

const noAccounts = accountToolsUnavailable();
if (noAccounts) console.warn(noAccounts);

describe('management payloads: real coordinator, real agent code, throwaway roots', () => {
  let t: TestCoordinator;
  let work: string;
  let rt: AgentRuntime;
  let accountRoot: string;
  const tools = safeToolRunner(() => loggedIn);
  let loggedIn: string[] = [];
  const receipt = { packageName: 'Tool', version: '1.0', path: '' };
  const receipts: ReceiptStore = {
    async verify() {
      const missing = await readFile(receipt.path).then(() => [], () => [receipt.path]);
      return [{ packageName: receipt.packageName, version: receipt.version, missing, modified: [] }];
    },
    async repair(check: ReceiptCheck) {
      for (const p of check.missing) await writeFile(p, 'restored from the package\n');
      return check.missing;
    },
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await t.api(method, path, body);
    if (res.status >= 400) throw new Error(`${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  let seq = 0;
  /** Creates an ongoing policy on a custom trigger for this computer and runs it; returns the run's items. */
  const runPayloads = async (payloads: object[], user: string | null = null) => {
    const name = `p${++seq}`;
    await api('POST', '/api/v1/policies', { name, triggers: [`custom:${name}`], frequency: 'ongoing', scope: { computers: [rt.state.computerId] }, payloads });
    const r = await runTrigger(rt, `custom:${name}`, { user });
    expect(r.policies!.delivered).toBe(1);
    return r.policies!.ran[0]!.items;
  };
  const shadowHash = async (user: string) => (await readFile(join(accountRoot, 'etc/shadow'), 'utf8')).split('\n').find((l) => l.startsWith(`${user}:`))!.split(':')[1]!;
  const hashMatches = (hash: string, password: string) => {
    const salt = hash.split('$')[2]!;
    return spawnSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: password, encoding: 'utf8' }).stdout.trim() === hash;
  };

  beforeAll(async () => {
    t = await startTestCoordinator();
    work = await mkdtemp(join(tmpdir(), 'homing-mgmt-'));
    accountRoot = await makeAccountRoot(join(work, 'accounts'));
    await mkdir(join(work, 'allowed'));
    receipt.path = join(work, 'allowed', 'tool.conf');
    const management = defaultManagementDeps({ run: tools.run, platform: 'linux', accountRoot, deleteRoots: [join(work, 'allowed')], receipts });
    const deps = { clock: new ManualClock(Date.now()), logger: silentLogger(), collect: async () => sampleInventory('mgmt-host'), management };
    rt = (await enroll({ coordinatorUrls: [t.url], caPem: t.caPem, token: await enrollmentToken(t), stateDir: join(work, 'state'), root: '/' }, deps)).runtime;
  });
  afterAll(async () => {
    await rt?.client.close();
    await t?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it.skipIf(noAccounts)('creates, promotes, disables and deletes a local user in a temporary root, never on the host', async () => {
    const created = await runPayloads([
      { type: 'account', action: 'create', username: 'hmtest', fullName: 'Homing Test' },
      { type: 'account', action: 'add-admin', username: 'hmtest' },
      { type: 'account', action: 'disable', username: 'hmtest' },
    ]);
    expect(created.map((i) => i.status)).toEqual(['success', 'success', 'success']);
    expect(await readFile(join(accountRoot, 'etc/passwd'), 'utf8')).toMatch(/^hmtest:x:\d+:\d+:Homing Test:\/home\/hmtest:\/bin\/bash$/m);
    expect(await readFile(join(accountRoot, 'etc/group'), 'utf8')).toMatch(/^(sudo|wheel):.*\bhmtest\b/m);
    expect(await shadowHash('hmtest')).toMatch(/^!/);
    expect(await readFile('/etc/passwd', 'utf8')).not.toMatch(/^hmtest:/m);
    const again = await runPayloads([{ type: 'account', action: 'create', username: 'hmtest' }]);
    expect(again[0]).toMatchObject({ status: 'skipped', message: 'account hmtest already exists' });
    const deleted = await runPayloads([{ type: 'account', action: 'delete', username: 'hmtest', deleteHome: true }]);
    expect(deleted[0]!.status).toBe('success');
    expect(await readFile(join(accountRoot, 'etc/passwd'), 'utf8')).not.toMatch(/^hmtest:/m);
  });

  it.skipIf(noAccounts)('rotates the management password LAPS-style: escrowed encrypted, viewed with an audit entry, rotated after the view', async () => {
    const items = await runPayloads([{ type: 'management-account', username: 'hmadmin' }]);
    expect(items[0]).toMatchObject({ status: 'success', message: 'management account hmadmin created; password rotated and escrowed' });
    const id = rt.state.computerId;
    const view = await api('GET', `/api/v1/computers/${id}/management-password`);
    expect(view).toMatchObject({ username: 'hmadmin', unconfirmed: null, rotationRequested: true });
    expect(hashMatches(await shadowHash('hmadmin'), view.password)).toBe(true);

    const audit = await api('GET', '/api/v1/audit-log');
    expect(audit.items[0]).toMatchObject({ username: 'admin', action: `GET /api/v1/computers/${id}/management-password`, status: 200 });
    expect(JSON.stringify(audit)).not.toContain(view.password);
    const [rows] = await t.coordinator.db.sequelize.query('SELECT ciphertext FROM escrowed_passwords') as [{ ciphertext: string }[], unknown];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.ciphertext).toMatch(/^v1:/);
      expect(r.ciphertext).not.toContain(view.password);
      expect(Buffer.from(r.ciphertext.slice(3), 'base64').toString('latin1')).not.toContain(view.password);
    }
    const logs = await api('GET', `/api/v1/computers/${id}`);
    expect(JSON.stringify(logs)).not.toContain(view.password);

    // The view asked for a rotation: the next check-in rotates, and the old password stops working.
    await checkin(rt);
    const next = await api('GET', `/api/v1/computers/${id}/management-password`);
    expect(next.password).not.toBe(view.password);
    expect(hashMatches(await shadowHash('hmadmin'), next.password)).toBe(true);
    expect(hashMatches(await shadowHash('hmadmin'), view.password)).toBe(false);
  });

  it('runs a command as root and as a given user, capturing output', async () => {
    const [root] = await runPayloads([{ type: 'command', command: 'echo "hello from $(id -un)"; echo oops >&2; exit 0' }]);
    expect(root).toMatchObject({ type: 'command', status: 'success', exitCode: 0 });
    expect(root!.output).toContain('hello from root');
    expect(root!.output).toContain('oops');
    const [failing] = await runPayloads([{ type: 'command', command: 'echo partial; exit 4' }]);
    expect(failing).toMatchObject({ status: 'failed', exitCode: 4, message: 'command as root exited with status 4', output: 'partial\n' });
    if (process.getuid?.() === 0) {
      const [asUser] = await runPayloads([{ type: 'command', command: 'id -u', runAs: 'current-user' }], 'nobody');
      expect(asUser).toMatchObject({ status: 'success', message: 'command as nobody exited with status 0' });
      expect(asUser!.output.trim()).toBe(String(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim()));
    }
    loggedIn = [];
    const [nobodyThere] = await runPayloads([{ type: 'command', command: 'true', runAs: 'current-user' }]);
    expect(nobodyThere).toMatchObject({ status: 'failed', message: 'no user is logged in to run the command as' });
  });

  it('kills a process by name', async () => {
    const exe = join(work, 'hmsleeper');
    await copyFile('/bin/sleep', exe);
    const child = spawn(exe, ['300'], { stdio: 'ignore' });
    await waitFor(() => isAlive(child.pid!), 2000);
    const [killed] = await runPayloads([{ type: 'kill-process', name: 'hmsleeper' }]);
    expect(killed).toMatchObject({ status: 'success', message: 'sent SIGTERM to 1 process named hmsleeper', output: String(child.pid) });
    expect(await waitFor(() => !isAlive(child.pid!), 3000)).toBe(true);
    const [none] = await runPayloads([{ type: 'kill-process', name: 'hmsleeper' }]);
    expect(none).toMatchObject({ status: 'skipped' });
  });

  it('searches for paths and deletes only what the safety rules allow', async () => {
    const allowed = join(work, 'allowed');
    await mkdir(join(allowed, 'cache/deep'), { recursive: true });
    await writeFile(join(allowed, 'cache/deep/target.log'), 'x');
    await mkdir(join(work, 'outside'));
    await writeFile(join(work, 'outside/keep.txt'), 'precious');
    await symlink(join(work, 'outside'), join(allowed, 'sneaky'));
    const [search, byName] = await runPayloads([
      { type: 'file', action: 'search', path: join(allowed, 'cache') },
      { type: 'file', action: 'search', path: allowed, name: 'target.log' },
    ]);
    expect(search!.output).toMatch(/\tdirectory\t/);
    expect(byName).toMatchObject({ status: 'success', message: `found 1: target.log under ${allowed}` });
    expect(byName!.output).toContain(join(allowed, 'cache/deep/target.log'));

    const results = await runPayloads([
      { type: 'file', action: 'delete', path: '/' },
      { type: 'file', action: 'delete', path: '/etc' },
      { type: 'file', action: 'delete', path: join(work, 'outside/keep.txt') },
      { type: 'file', action: 'delete', path: join(allowed, 'sneaky/keep.txt') },
      { type: 'file', action: 'delete', path: join(allowed, 'sneaky') },
      { type: 'file', action: 'delete', path: join(allowed, 'cache') },
    ]);
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'success', 'success']);
    expect(results[0]!.message).toContain('it is the root directory');
    expect(results[3]!.message).toContain('a parent directory is a symbolic link');
    expect(await readFile(join(work, 'outside/keep.txt'), 'utf8')).toBe('precious');
    await expect(readFile(join(allowed, 'cache/deep/target.log'))).rejects.toThrow();
  });

  it('repairs a deleted file from its receipt and flushes caches', async () => {
    await writeFile(receipt.path, 'installed\n');
    const [intact] = await runPayloads([{ type: 'maintenance', tasks: ['verify-receipts'] }]);
    expect(intact).toMatchObject({ status: 'success', message: 'receipts: every installed package is intact' });
    await rm(receipt.path);
    const [verified] = await runPayloads([{ type: 'maintenance', tasks: ['verify-receipts'] }]);
    expect(verified).toMatchObject({ status: 'failed', message: `receipts: Tool 1.0 has 1 missing or changed file(s): ${receipt.path}` });
    const [repaired] = await runPayloads([{ type: 'maintenance', tasks: ['flush-caches', 'repair-receipts', 'inventory'] }]);
    expect(repaired).toMatchObject({ status: 'success', message: `inventory: full; caches flushed; receipts: Tool 1.0 repaired (${receipt.path})` });
    expect(await readFile(receipt.path, 'utf8')).toBe('restored from the package\n');
    expect(rt.state.etag).toBeUndefined();
  });

  it('restarts only after reporting: with a message when a user is logged in, and waits for logout when asked', async () => {
    loggedIn = ['alice'];
    const [delayed] = await runPayloads([{ type: 'restart', when: 'delay', delayMinutes: 10, message: 'Restarting for updates' }]);
    expect(delayed).toMatchObject({ status: 'success', message: 'restart scheduled 10 min after this run' });
    expect(tools.shutdowns).toEqual([['-r', '+10', 'Restarting for updates']]);
    const [waiting] = await runPayloads([{ type: 'restart', when: 'no-user' }]);
    expect(waiting!.status).toBe('success');
    expect(tools.shutdowns).toHaveLength(1);
    loggedIn = [];
    await checkin(rt);
    expect(tools.shutdowns).toEqual([['-r', '+10', 'Restarting for updates'], ['-r', 'now']]);
  });
});
