import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { atomicWriteFile } from '../../shared/fs/atomic-write.js';
import type { Logger } from '../../shared/logger.js';
import { RestartPayload } from '../../shared/schemas/management-payloads.js';
import { loggedInUsers } from './console-user.js';
import { runChecked, type ToolRunner } from './tool-runner.js';

/** A restart a policy asked for; it happens after the run's results are reported. */
export type RestartRequest = Pick<z.infer<typeof RestartPayload>, 'when' | 'delayMinutes' | 'message'>;

const file = (stateDir: string) => join(stateDir, 'restart.json');

/** Records a restart to perform once the run is reported (a later request replaces an earlier one). */
export async function requestRestart(stateDir: string, { when, delayMinutes, message }: RestartRequest): Promise<void> {
  await atomicWriteFile(file(stateDir), JSON.stringify({ when, delayMinutes, message }), 0o600);
}

/** What `performPendingRestart` did. */
export type RestartOutcome = 'none' | 'waiting-for-logout' | 'restarting';

/**
 * Performs a pending restart: `no-user` waits (the request stays) while anyone is logged in; otherwise `shutdown -r`
 * now or in N minutes, its message broadcast to logged-in users. The request is removed first, so a failing
 * shutdown never loops.
 */
export async function performPendingRestart(stateDir: string, run: ToolRunner, logger: Logger): Promise<RestartOutcome> {
  let request: RestartRequest;
  try {
    request = RestartPayload.pick({ when: true, delayMinutes: true, message: true }).parse(JSON.parse(await readFile(file(stateDir), 'utf8')));
  } catch {
    return 'none';
  }
  const users = await loggedInUsers(run);
  if (request.when === 'no-user' && users.length) {
    logger.info({ users: users.length }, 'restart waits until no user is logged in');
    return 'waiting-for-logout';
  }
  await rm(file(stateDir), { force: true });
  const at = request.when === 'delay' ? `+${request.delayMinutes}` : 'now';
  logger.warn({ at, usersNotified: users.length }, 'restarting the computer as a policy asked');
  await runChecked(run, 'shutdown', ['-r', at, ...(users.length ? [request.message] : [])]);
  return 'restarting';
}
