import type { AccountTools } from '../../management/accounts/account-tools.js';
import type { ManagementDeps } from '../../management/management-deps.js';
import type { AgentRuntime } from '../../runtime.js';
import type { ItemOutcome } from '../package-installer.js';

/** What a management payload runs with: the agent, its system tools, and the run's user ($3). */
export interface ManagementContext {
  rt: AgentRuntime;
  deps: ManagementDeps;
  accounts: AccountTools;
  user: string | null;
  signal?: AbortSignal;
}

/** A successful item outcome. */
export const succeeded = (message: string, output = ''): ItemOutcome => ({ status: 'success', message, exitCode: null, output });

/** A failed item outcome. */
export const itemFailed = (message: string, output = ''): ItemOutcome => ({ status: 'failed', message: message.slice(0, 2000), exitCode: null, output });
