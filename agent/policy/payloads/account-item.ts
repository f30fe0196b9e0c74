import type { ManagementPayload } from '../../../shared/schemas/management-payloads.js';
import { rotateEscrowedPassword } from '../../management/password-escrow.js';
import type { ItemOutcome } from '../package-installer.js';
import { succeeded, type ManagementContext } from './management-context.js';

type AccountItem = Extract<ManagementPayload, { type: 'account' }>;
type ManagementAccountItem = Extract<ManagementPayload, { type: 'management-account' }>;

/** Local account payload: create (idempotent), delete, disable, admin membership, or a new escrowed password. */
export async function applyAccount(item: AccountItem, ctx: ManagementContext): Promise<ItemOutcome> {
  const { accounts } = ctx;
  const exists = await accounts.exists(item.username);
  if (item.action === 'create') {
    if (exists) return { ...succeeded(`account ${item.username} already exists`), status: 'skipped' };
    await accounts.create(item.username, item.fullName);
    return succeeded(`account ${item.username} created (password locked until one is set)`);
  }
  if (!exists) {
    return item.action === 'delete'
      ? { ...succeeded(`account ${item.username} does not exist`), status: 'skipped' }
      : { status: 'failed', message: `account ${item.username} does not exist`, exitCode: null, output: '' };
  }
  switch (item.action) {
    case 'delete':
      await accounts.delete(item.username, item.deleteHome);
      return succeeded(`account ${item.username} deleted${item.deleteHome ? ' with its home directory' : ''}`);
    case 'disable':
      await accounts.disable(item.username);
      return succeeded(`account ${item.username} disabled`);
    case 'add-admin':
    case 'remove-admin':
      await accounts.setAdmin(item.username, item.action === 'add-admin');
      return succeeded(`account ${item.username} ${item.action === 'add-admin' ? 'added to' : 'removed from'} the admin group`);
    case 'set-password':
      await rotateEscrowedPassword(ctx.rt, accounts, item.username, ctx.signal);
      return succeeded(`account ${item.username} has a new random password, escrowed at the coordinator`);
  }
}

/** Management account payload: creates it as a hidden admin when missing, then rotates its escrowed password. */
export async function applyManagementAccount(item: ManagementAccountItem, ctx: ManagementContext): Promise<ItemOutcome> {
  const { accounts } = ctx;
  const created = !(await accounts.exists(item.username));
  if (created) {
    await accounts.create(item.username, 'Management account', { hidden: true });
    await accounts.setAdmin(item.username, true);
  }
  await rotateEscrowedPassword(ctx.rt, accounts, item.username, ctx.signal);
  return succeeded(`management account ${item.username} ${created ? 'created; ' : ''}password rotated and escrowed`);
}
