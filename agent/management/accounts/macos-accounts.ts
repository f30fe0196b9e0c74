import { runChecked, type ToolRunner } from '../tool-runner.js';
import { UnsupportedPlatformError, type AccountTools } from './account-tools.js';

/** macOS: sysadminctl, dscl, dseditgroup and pwpolicy. */
export class MacAccountTools implements AccountTools {
  constructor(private readonly run: ToolRunner) {}

  async exists(username: string): Promise<boolean> {
    return (await this.run('dscl', ['.', '-read', `/Users/${username}`, 'UniqueID'])).code === 0;
  }

  async create(username: string, fullName: string, opts: { hidden?: boolean } = {}): Promise<void> {
    await runChecked(this.run, 'sysadminctl', ['-addUser', username, '-fullName', fullName || username]);
    if (opts.hidden) await runChecked(this.run, 'dscl', ['.', '-create', `/Users/${username}`, 'IsHidden', '1']);
  }

  async delete(username: string, removeHome: boolean): Promise<void> {
    await runChecked(this.run, 'sysadminctl', ['-deleteUser', username, ...(removeHome ? [] : ['-keepHome'])]);
  }

  async disable(username: string): Promise<void> {
    await runChecked(this.run, 'pwpolicy', ['-u', username, '-disableuser']);
  }

  async setAdmin(username: string, admin: boolean): Promise<void> {
    await runChecked(this.run, 'dseditgroup', ['-o', 'edit', admin ? '-a' : '-d', username, '-t', 'user', 'admin']);
  }

  async setPassword(): Promise<void> {
    // sysadminctl and dscl take a new password only in argv (visible in ps) or from a terminal prompt.
    throw new UnsupportedPlatformError('setting a password without exposing it in argv', 'darwin');
  }
}
