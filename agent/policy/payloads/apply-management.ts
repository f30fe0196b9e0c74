import type { ManagementPayload } from '../../../shared/schemas/management-payloads.js';
import { requestRestart } from '../../management/pending-restart.js';
import type { ItemOutcome } from '../package-installer.js';
import { applyAccount, applyManagementAccount } from './account-item.js';
import { applyCommand } from './command-item.js';
import { applyFile } from './file-item.js';
import { applyKillProcess } from './kill-process-item.js';
import { applyMaintenance } from './maintenance-item.js';
import { succeeded, type ManagementContext } from './management-context.js';

/** Applies one management payload; errors (unsupported platform, unsafe path, failing tool) become a failed item in the caller. */
export async function applyManagementPayload(item: ManagementPayload, ctx: ManagementContext): Promise<ItemOutcome> {
  switch (item.type) {
    case 'account': return applyAccount(item, ctx);
    case 'management-account': return applyManagementAccount(item, ctx);
    case 'command': return applyCommand(item, ctx);
    case 'kill-process': return applyKillProcess(item, ctx);
    case 'file': return applyFile(item, ctx);
    case 'maintenance': return applyMaintenance(item, ctx);
    case 'restart':
      await requestRestart(ctx.rt.store.dir, item);
      return succeeded(item.when === 'no-user' ? 'restart scheduled for when no user is logged in'
        : `restart scheduled ${item.when === 'now' ? 'right after this run' : `${item.delayMinutes} min after this run`}`);
  }
}
