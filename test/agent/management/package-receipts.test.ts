import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageReceiptStore } from '../../../agent/management/package-receipts.js';
import { ReceiptStore } from '../../../agent/packages/receipts.js';

const digest = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}` as const;

describe('receipt maintenance over the packages feature\'s receipts', () => {
  let dir: string;
  let receipts: ReceiptStore;
  const install = async () => {
    await mkdir(join(dir, 'root/opt/tool/bin'), { recursive: true });
    await writeFile(join(dir, 'root/opt/tool/bin/tool'), 'binary v1');
    await writeFile(join(dir, 'root/opt/tool/tool.conf'), 'setting=1');
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'homing-receipts-'));
    receipts = new ReceiptStore(join(dir, 'receipts'));
    await install();
    await receipts.save({
      packageId: 7, name: 'Tool', version: '1.0', revision: 1, digest: digest('payload'), installDir: join(dir, 'root/opt/tool'),
      files: [
        { path: 'bin', type: 'directory' },
        { path: 'bin/tool', type: 'file', digest: digest('binary v1') },
        { path: 'tool.conf', type: 'file', digest: digest('setting=1') },
      ],
      state: 'installed', installedAt: 1,
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds deleted and changed files, and repairs them by reinstalling the package', async () => {
    const reinstalled: number[] = [];
    const store = packageReceiptStore(receipts, async (id) => { reinstalled.push(id); await install(); });
    expect(await store.verify()).toEqual([{ packageName: 'Tool', version: '1.0', missing: [], modified: [] }]);
    await rm(join(dir, 'root/opt/tool/bin/tool'));
    await writeFile(join(dir, 'root/opt/tool/tool.conf'), 'tampered');
    const [check] = await store.verify();
    expect(check).toEqual({
      packageName: 'Tool', version: '1.0', missing: [join(dir, 'root/opt/tool/bin/tool')], modified: [join(dir, 'root/opt/tool/tool.conf')],
    });
    expect(await store.repair(check!)).toEqual([join(dir, 'root/opt/tool/bin/tool'), join(dir, 'root/opt/tool/tool.conf')]);
    expect(reinstalled).toEqual([7]);
    expect(await store.verify()).toEqual([{ packageName: 'Tool', version: '1.0', missing: [], modified: [] }]);
  });

  it('says so when the packages feature offers no reinstall', async () => {
    const store = packageReceiptStore(receipts);
    await rm(join(dir, 'root/opt/tool/tool.conf'));
    const [check] = await store.verify();
    await expect(store.repair(check!)).rejects.toMatchObject({ code: 'REPAIR_UNAVAILABLE' });
  });
});
