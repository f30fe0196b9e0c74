import type { ManagementPayload } from '../../../shared/schemas/management-payloads.js';
import { runChecked } from '../../management/tool-runner.js';
import type { ItemOutcome } from '../package-installer.js';
import { itemFailed, succeeded, type ManagementContext } from './management-context.js';

type KillProcessItem = Extract<ManagementPayload, { type: 'kill-process' }>;

// Killing these takes the computer or the agent down with them.
const PROTECTED = new Set(['init', 'systemd', 'launchd', 'kernel_task', 'loginwindow', 'WindowServer', 'sshd', 'homing', 'node']);

/** Kills (SIGTERM) every process named exactly `name` (`pgrep`/`pkill -x`); none running is a skip, not a failure. */
export async function applyKillProcess(item: KillProcessItem, ctx: ManagementContext): Promise<ItemOutcome> {
  if (PROTECTED.has(item.name)) return itemFailed(`refusing to kill ${item.name}: a system or agent process`);
  const found = await ctx.deps.run('pgrep', ['-x', '--', item.name], { signal: ctx.signal });
  const pids = found.output.split('\n').filter((l) => /^\d+$/.test(l.trim()));
  if (found.code === 1 || !pids.length) return { ...succeeded(`no process named ${item.name} is running`), status: 'skipped' };
  await runChecked(ctx.deps.run, 'pkill', ['-x', '--', item.name], { signal: ctx.signal });
  return succeeded(`sent SIGTERM to ${pids.length} process${pids.length === 1 ? '' : 'es'} named ${item.name}`, pids.join(' '));
}
