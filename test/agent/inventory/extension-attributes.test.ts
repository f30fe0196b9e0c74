import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExtensionAttributeError } from '../../../agent/inventory/errors.js';
import {
  parseResult, runExtensionAttribute, runExtensionAttributes,
} from '../../../agent/inventory/extension-attributes.js';
import { captureLogger, isAlive, waitFor } from './helpers.js';

let work: string;
beforeEach(async () => { work = await mkdtemp(join(os.tmpdir(), 'homing-ea-test-')); });
afterEach(async () => { await rm(work, { recursive: true, force: true }); });

const sh = (body: string) => ({ name: 'attr', script: `#!/bin/sh\n${body}\n` });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    expect(err).toBeInstanceOf(ExtensionAttributeError);
    return (err as ExtensionAttributeError).code;
  }
}

describe('parseResult', () => {
  it('takes the trimmed text between the first pair of tags', () => {
    expect(parseResult('noise\n<result>  14.5\n</result>\n<result>2</result>')).toBe('14.5');
    expect(parseResult('<result></result>')).toBe('');
  });
  it('gives an empty string when a tag is missing', () => {
    expect(parseResult('just text')).toBe('');
    expect(parseResult('<result>unterminated')).toBe('');
    expect(parseResult('</result>x<result>')).toBe('');
  });
  it('caps values at 4096 characters', () => {
    expect(parseResult(`<result>${'x'.repeat(5000)}</result>`)).toHaveLength(4096);
  });
});

describe('runExtensionAttribute', () => {
  it('runs the script from a private 0700 temp dir and removes it afterwards', async () => {
    const value = await runExtensionAttribute(
      sh('echo "<result>$(stat -c %a "$(dirname "$0")") $(stat -c %a "$0")</result>"'), { tmpDir: work },
    );
    expect(value).toBe('700 700');
    expect(await readdir(work)).toEqual([]);
  });

  it('honours any interpreter named in the shebang', async () => {
    const value = await runExtensionAttribute({ name: 'node', script: `#!${process.execPath}\nconsole.log('<result>' + (6 * 7) + '</result>')\n` });
    expect(value).toBe('42');
  });

  it('gives an empty string when the script prints no tags', async () => {
    expect(await runExtensionAttribute(sh('echo hello'))).toBe('');
  });

  it('rejects a non-zero exit, naming the status and stderr', async () => {
    const p = runExtensionAttribute(sh('echo "<result>x</result>"; echo boom >&2; exit 4'));
    await expect(p).rejects.toThrow(/status 4: boom/);
    expect(await codeOf(runExtensionAttribute(sh('exit 1')))).toBe('EA_EXIT_STATUS');
  });

  it('rejects a script without a shebang', async () => {
    expect(await codeOf(runExtensionAttribute({ name: 'x', script: 'echo "<result>x</result>"' }))).toBe('EA_NO_SHEBANG');
  });

  it('rejects a script whose interpreter does not exist', async () => {
    expect(await codeOf(runExtensionAttribute({ name: 'x', script: '#!/no/such/interpreter\n' }))).toBe('EA_SPAWN_FAILED');
  });

  it('kills the script and its children on timeout', async () => {
    const pidFile = join(work, 'child.pid');
    const started = Date.now();
    const code = await codeOf(runExtensionAttribute(
      sh(`sleep 60 &\necho $! > '${pidFile}'\nsleep 60`), { timeoutMs: 500, tmpDir: work },
    ));
    expect(code).toBe('EA_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5000);
    const childPid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(childPid).toBeGreaterThan(0);
    expect(await waitFor(() => !isAlive(childPid), 2000)).toBe(true);
    expect((await readdir(work)).filter((f) => f.startsWith('homing-ea-'))).toEqual([]);
  });

  it('returns soon after the script exits even if a background child keeps stdout open', async () => {
    const started = Date.now();
    expect(await runExtensionAttribute(sh('sleep 30 &\necho "<result>ok</result>"'))).toBe('ok');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('accepts output up to the cap and rejects (and stops) output beyond it', async () => {
    const within = sh(`head -c 1000 /dev/zero | tr '\\0' a\necho "<result>fits</result>"`);
    expect(await runExtensionAttribute(within, { maxOutputBytes: 2048 })).toBe('fits');
    const beyond = sh(`head -c 3000 /dev/zero | tr '\\0' a\necho "<result>lost</result>"`);
    expect(await codeOf(runExtensionAttribute(beyond, { maxOutputBytes: 2048 }))).toBe('EA_OUTPUT_TOO_LARGE');
  });

  it('stops an endless writer at the default 64 KiB cap instead of waiting for the timeout', async () => {
    const started = Date.now();
    expect(await codeOf(runExtensionAttribute(sh('yes'), { timeoutMs: 20_000 }))).toBe('EA_OUTPUT_TOO_LARGE');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects with the abort reason and kills the script when aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 200);
    await expect(runExtensionAttribute(sh('sleep 30'), { signal: controller.signal })).rejects.toThrow('shutting down');
  });
});

describe('runExtensionAttributes', () => {
  it('collects every attribute; failures become empty strings with a warning', async () => {
    const { logger, records } = captureLogger();
    const result = await runExtensionAttributes([
      { name: 'A', script: '#!/bin/sh\necho "<result>a</result>"\n' },
      { name: 'Fails', script: '#!/bin/sh\nexit 2\n' },
      { name: 'Slow', script: '#!/bin/sh\nsleep 10\n' },
      { name: 'NoTags', script: '#!/bin/sh\necho nothing\n' },
      { name: 'B', script: '#!/bin/sh\necho "<result> b </result>"\n' },
    ], { logger, timeoutMs: 300, concurrency: 3 });
    expect(result).toEqual({ A: 'a', Fails: '', Slow: '', NoTags: '', B: 'b' });
    const warned = records.filter((r) => r.level === 40).map((r) => r.attribute).sort();
    expect(warned).toEqual(['Fails', 'Slow']);
  });

  it('returns an empty record for no attributes', async () => {
    expect(await runExtensionAttributes([])).toEqual({});
  });
});
