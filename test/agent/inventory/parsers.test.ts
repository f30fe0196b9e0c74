import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProcStatBootTime } from '../../../agent/inventory/boot-time.js';
import { cpuBrand, toDisks } from '../../../agent/inventory/hardware.js';
import { clampString, factString, nonNegativeInt } from '../../../agent/inventory/limits.js';
import { mergeInterfaces } from '../../../agent/inventory/network.js';
import { collectSoftware, listApplications, parseDpkgQuery, parseRpmQuery } from '../../../agent/inventory/software.js';
import { collectUsers, parseDsclUsers, parsePasswd } from '../../../agent/inventory/users.js';
import type { CommandRunner } from '../../../agent/inventory/command-runner.js';
import { CommandError } from '../../../agent/inventory/errors.js';
import { silentLogger } from '../../../shared/logger.js';
import { captureLogger } from './helpers.js';

describe('limits', () => {
  it('clamps strings without splitting surrogate pairs', () => {
    expect(clampString('x'.repeat(2000))).toHaveLength(1024);
    const s = 'a'.repeat(1023) + '😀';
    expect(clampString(s)).toBe('a'.repeat(1023));
    expect(clampString(undefined)).toBe('');
    expect(factString(' - ')).toBe('');
    expect(nonNegativeInt(-3)).toBe(0);
    expect(nonNegativeInt(Number.NaN)).toBe(0);
    expect(nonNegativeInt(7.9)).toBe(7);
  });
});

describe('parsePasswd', () => {
  it('keeps root and human accounts with a login shell', () => {
    const text = [
      'root:x:0:0:root:/root:/bin/bash',
      'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
      'alice:x:1000:1000:Alice:/home/alice:/bin/zsh',
      'svc:x:1001:1001::/srv/svc:/usr/sbin/nologin',
      'bob:x:1002:1002::/home/bob:/bin/false',
      'nobody:x:65534:65534:nobody:/nonexistent:/bin/sh',
      '# comment', '+@netgroup', 'broken:line',
    ].join('\n');
    expect(parsePasswd(text)).toEqual([
      { name: 'root', uid: 0, home: '/root' },
      { name: 'alice', uid: 1000, home: '/home/alice' },
    ]);
  });

  it('parses dscl output on macOS', () => {
    expect(parseDsclUsers('_www 70\nroot 0\ndaemon 1\njane 501\nnobody -2\n')).toEqual([
      { name: 'root', uid: 0, home: '/var/root' },
      { name: 'jane', uid: 501, home: '/Users/jane' },
    ]);
  });

  it('flags logged-in users and adds directory users with a null uid', async () => {
    const dir = await mkdtemp(join(os.tmpdir(), 'homing-passwd-'));
    try {
      await writeFile(join(dir, 'passwd'), 'root:x:0:0::/root:/bin/sh\nann:x:1000:1000::/home/ann:/bin/bash\n');
      const noRunner: CommandRunner = async () => { throw new Error('unused'); };
      const users = await collectUsers({
        platform: 'linux', runner: noRunner, logger: silentLogger(), passwdPath: join(dir, 'passwd'), loggedIn: ['ann', 'ldapuser', 'ann'],
      });
      expect(users).toEqual([
        { name: 'root', uid: 0, home: '/root', loggedIn: false },
        { name: 'ann', uid: 1000, home: '/home/ann', loggedIn: true },
        { name: 'ldapuser', uid: null, home: '', loggedIn: true },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('software', () => {
  it('parses dpkg-query output, keeping installed packages only', () => {
    const out = 'curl\t7.88.1-10\tii \nold\t1.0\trc \nheld\t2.0\thi \n\n';
    expect(parseDpkgQuery(out)).toEqual([
      { name: 'curl', version: '7.88.1-10', source: 'dpkg' },
      { name: 'held', version: '2.0', source: 'dpkg' },
    ]);
  });

  it('parses rpm output', () => {
    expect(parseRpmQuery('bash\t5.1.8-6.el9\n\n')).toEqual([{ name: 'bash', version: '5.1.8-6.el9', source: 'rpm' }]);
  });

  it('lists macOS application bundles from their Info.plist', async () => {
    const dir = await mkdtemp(join(os.tmpdir(), 'homing-apps-'));
    try {
      await mkdir(join(dir, 'Firefox.app', 'Contents'), { recursive: true });
      await writeFile(join(dir, 'Firefox.app', 'Contents', 'Info.plist'),
        '<plist><dict><key>CFBundleName</key>\n<string>Firefox</string><key>CFBundleShortVersionString</key><string>128.0</string></dict></plist>');
      await mkdir(join(dir, 'Bare.app'));
      await writeFile(join(dir, 'notes.txt'), '');
      const apps = await listApplications(dir);
      expect(apps.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: 'Bare', version: '', source: 'applications' },
        { name: 'Firefox', version: '128.0', source: 'applications' },
      ]);
      expect(await collectSoftware({ platform: 'darwin', runner: async () => '', logger: silentLogger(), applicationsDir: dir }))
        .toHaveLength(2);
      expect(await listApplications(join(dir, 'missing'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('treats a missing tool as no software and a failing one as a warning', async () => {
    const { logger, records } = captureLogger();
    const runner: CommandRunner = async (file) => {
      if (file === 'rpm') throw new CommandError('COMMAND_NOT_FOUND', 'rpm: not found');
      throw new CommandError('COMMAND_TIMEOUT', 'dpkg-query: timed out');
    };
    expect(await collectSoftware({ platform: 'linux', runner, logger })).toEqual([]);
    expect(records.filter((r) => r.level === 40).map((r) => r.file)).toEqual(['dpkg-query']);
  });
});

describe('hardware and network mapping', () => {
  it('falls back to whole-disk block devices and skips virtual ones', () => {
    const block = (name: string, type: string, size: number) => ({ name, type, size, physical: 'SSD', model: '' }) as never;
    expect(toDisks([], [block('vda', 'disk', 100), block('vda1', 'part', 50), block('zram0', 'disk', 0), block('loop0', 'disk', 1)]))
      .toEqual([{ name: 'vda', type: 'SSD', sizeBytes: 100 }]);
  });

  it('joins CPU vendor and brand once', () => {
    expect(cpuBrand('AMD', 'EPYC')).toBe('AMD EPYC');
    expect(cpuBrand('Intel', 'Intel(R) Core(TM) i7')).toBe('Intel(R) Core(TM) i7');
    expect(cpuBrand('', 'M2')).toBe('M2');
  });

  it('merges every address per interface and keeps address-less links', () => {
    const siIfaces = [
      { iface: 'eth0', mac: 'aa:bb', ip4: '10.0.0.2', ip6: '' },
      { iface: 'wlan0', mac: 'cc:dd', ip4: '', ip6: '' },
    ] as never[];
    const osIfaces = {
      eth0: [
        { address: '10.0.0.3', family: 'IPv4', mac: 'aa:bb' },
        { address: '10.0.0.2', family: 'IPv4', mac: 'aa:bb' },
        { address: 'fe80::1', family: 'IPv6', mac: 'aa:bb' },
      ],
    } as never;
    expect(mergeInterfaces(siIfaces, osIfaces)).toEqual([
      { name: 'eth0', mac: 'aa:bb', ipv4: ['10.0.0.2', '10.0.0.3'], ipv6: ['fe80::1'] },
      { name: 'wlan0', mac: 'cc:dd', ipv4: [], ipv6: [] },
    ]);
  });

  it('reads btime from /proc/stat text', () => {
    expect(parseProcStatBootTime('cpu 1 2 3\nbtime 1700000000\nprocesses 5\n')).toBe(1_700_000_000);
    expect(parseProcStatBootTime('cpu 1 2 3\n')).toBeUndefined();
  });
});
