import { randomInt } from 'node:crypto';
import type { AgentRuntime } from '../runtime.js';
import { accountTools, type AccountTools } from './accounts/account-tools.js';
import { defaultManagementDeps } from './management-deps.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.+=';

/** A random password (~150 bits) without look-alike characters. */
export function randomPassword(length = 26): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/**
 * LAPS rotation: generates a password here, escrows it at the coordinator (pending, stored encrypted), sets it,
 * then confirms. Escrow first means a password is never in effect without the coordinator holding it; the password
 * is generated on the agent so it never sits in a bundle (cached on both ends) and crosses the wire once, over mTLS.
 */
export async function rotateEscrowedPassword(rt: AgentRuntime, tools: AccountTools, username: string, signal?: AbortSignal): Promise<void> {
  const password = randomPassword();
  const { escrowId } = await rt.client.escrowPassword(rt.state.computerId, { username, password }, signal);
  await tools.setPassword(username, password);
  await rt.client.confirmPassword(rt.state.computerId, escrowId, signal);
  rt.logger.info({ username }, 'password rotated and escrowed');
}

/** Rotation an admin asked for by viewing the password (check-in answer); a failure is logged and retried next check-in. */
export async function rotateOnRequest(rt: AgentRuntime, username: string, signal?: AbortSignal): Promise<void> {
  const deps = rt.management ?? defaultManagementDeps();
  const tools = accountTools({ platform: deps.platform, run: deps.run, root: deps.accountRoot });
  try {
    if (!(await tools.exists(username))) {
      rt.logger.warn({ username }, 'rotation requested for an account this computer does not have');
      return;
    }
    await rotateEscrowedPassword(rt, tools, username, signal);
  } catch (err) {
    if (signal?.aborted) throw err;
    rt.logger.warn({ username, err: { code: (err as { code?: string }).code, message: (err as Error).message } }, 'requested password rotation failed');
  }
}
