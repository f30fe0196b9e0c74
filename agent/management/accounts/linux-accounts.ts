import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked, type ToolRunner } from '../tool-runner.js';
import type { AccountTools } from './account-tools.js';

/** shadow-utils (useradd, userdel, usermod, gpasswd, chpasswd); with `root`, every tool acts on that tree (`--root`). */
export class LinuxAccountTools implements AccountTools {
  constructor(private readonly run: ToolRunner, private readonly root?: string) {}

  private get rootArgs(): string[] { return this.root ? ['--root', this.root] : []; }

  private async etc(file: string): Promise<string> {
    return readFile(join(this.root ?? '/', 'etc', file), 'utf8');
  }

  async exists(username: string): Promise<boolean> {
    return (await this.etc('passwd')).split('\n').some((l) => l.startsWith(`${username}:`));
  }

  async create(username: string, fullName: string): Promise<void> {
    await runChecked(this.run, 'useradd', [...this.rootArgs, '--create-home', '--shell', '/bin/bash', '--comment', fullName, '--', username]);
  }

  async delete(username: string, removeHome: boolean): Promise<void> {
    await runChecked(this.run, 'userdel', [...this.rootArgs, ...(removeHome ? ['--remove'] : []), '--', username]);
  }

  async disable(username: string): Promise<void> {
    // Locking alone leaves SSH keys working; an expiry date in 1970 stops every login method.
    await runChecked(this.run, 'usermod', [...this.rootArgs, '--lock', '--expiredate', '1', '--', username]);
  }

  async setAdmin(username: string, admin: boolean): Promise<void> {
    const groups = await this.etc('group');
    const group = groups.split('\n').some((l) => l.startsWith('sudo:')) ? 'sudo' : 'wheel';
    await runChecked(this.run, 'gpasswd', [...this.rootArgs, admin ? '--add' : '--delete', username, group]);
  }

  async setPassword(username: string, password: string): Promise<void> {
    // Hashed here and set with `chpasswd -e`: no PAM (which fails under --root), and the password is only ever on stdin.
    const hash = (await runChecked(this.run, 'openssl', ['passwd', '-6', '-stdin'], { input: password })).trim();
    await runChecked(this.run, 'chpasswd', [...this.rootArgs, '--encrypted'], { input: `${username}:${hash}\n` });
  }
}
