import type { ManagementPayload } from '../../../shared/schemas/management-payloads.js';
import { MAX_ITEM_OUTPUT } from '../../../shared/schemas/policy-results.js';
import { loggedInUsers, lookupUser } from '../../management/console-user.js';
import type { ItemOutcome } from '../package-installer.js';
import { itemFailed, type ManagementContext } from './management-context.js';

type CommandItem = Extract<ManagementPayload, { type: 'command' }>;

/**
 * Runs a command with `/bin/sh -c` as root, or as the run's user ($3) or else the console user; output is captured
 * (capped) and the process group is killed at the timeout.
 */
export async function applyCommand(item: CommandItem, ctx: ManagementContext): Promise<ItemOutcome> {
  let as;
  if (item.runAs === 'current-user') {
    const name = ctx.user ?? (await loggedInUsers(ctx.deps.run, ctx.signal))[0];
    if (!name) return itemFailed('no user is logged in to run the command as');
    as = await lookupUser(ctx.deps.run, name, ctx.deps.platform);
    if (!as) return itemFailed(`user ${name} is not a local account`);
  }
  const r = await ctx.deps.run('/bin/sh', ['-c', item.command], { timeoutMs: item.timeoutSeconds * 1000, signal: ctx.signal, as });
  const who = as ? `as ${as.name}` : 'as root';
  const output = r.truncated ? `${r.output}\n[output truncated at ${MAX_ITEM_OUTPUT} bytes]` : r.output;
  if (r.timedOut) return itemFailed(`command ${who} timed out after ${item.timeoutSeconds} s; its process group was killed`, output);
  if (r.code !== 0) return { ...itemFailed(`command ${who} exited with status ${r.code}`, output), exitCode: r.code };
  return { status: 'success', message: `command ${who} exited with status 0`, exitCode: 0, output };
}
