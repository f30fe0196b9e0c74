import { describe, expect, it } from 'vitest';
import { runPolicyScript } from '../../../agent/policy/script-item.js';
import { MAX_ITEM_OUTPUT } from '../../../shared/schemas/policy-results.js';

const params = (values: string[], secret: number[] = []) =>
  Array.from({ length: 8 }, (_, i) => ({ index: i + 4, value: values[i] ?? '', secret: secret.includes(i + 4) }));
const script = (content: string, parameters = params([])) => ({ scriptId: 1, name: 's', content, timeoutSeconds: 30, parameters });
const ctx = { root: '/', computerName: 'pc', username: null };

describe('runPolicyScript', () => {
  it('caps output (stdout and stderr) without failing the script and keeps memory bounded', async () => {
    const r = await runPolicyScript(script('#!/bin/sh\nhead -c 50000000 /dev/zero | tr "\\0" x\necho tail >&2\n'), ctx);
    expect(r.status).toBe('success');
    expect(r.output.length).toBeLessThanOrEqual(MAX_ITEM_OUTPUT);
    expect(r.output).toMatch(/^x{60000,}\n\[output truncated at \d+ bytes\]$/);
  });

  it('redacts secrets the script prints, even split across stdout and stderr lines', async () => {
    const r = await runPolicyScript(script('#!/bin/sh\necho "a=$4 b=$HOMING_PARAMETER_5"\necho "$HOMING_PARAMETER_5" >&2\nexit 2\n', params(['plain', 'sekrit'], [5])), ctx);
    expect(r).toMatchObject({ status: 'failed', exitCode: 2, message: 'script "s" exited with status 2' });
    expect(r.output).toBe('a=plain b=********\n********\n');
  });

  it('reports a missing interpreter as a failed item', async () => {
    const r = await runPolicyScript(script('#!/no/such/interpreter\n'), ctx);
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/cannot start/);
  });
});
