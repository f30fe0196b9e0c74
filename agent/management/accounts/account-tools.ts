import { AppError } from '../../../shared/errors.js';
import type { ToolRunner } from '../tool-runner.js';
import { LinuxAccountTools } from './linux-accounts.js';
import { MacAccountTools } from './macos-accounts.js';

/** The platform cannot do what a payload asks. */
export class UnsupportedPlatformError extends AppError {
  constructor(what: string, platform: string) { super('UNSUPPORTED_PLATFORM', `${what} is unsupported on this platform (${platform})`, 501); }
}

/** Local account operations of one platform. */
export interface AccountTools {
  exists(username: string): Promise<boolean>;
  /** Creates the account with a locked password and a home directory; `hidden` keeps it off login windows (macOS). */
  create(username: string, fullName: string, opts?: { hidden?: boolean }): Promise<void>;
  delete(username: string, removeHome: boolean): Promise<void>;
  /** Locks the password and expires the account, so no login method works. */
  disable(username: string): Promise<void>;
  setAdmin(username: string, admin: boolean): Promise<void>;
  /** Sets the password; it reaches the system tools on stdin only. */
  setPassword(username: string, password: string): Promise<void>;
}

/** Where account tools act: the live system, or (tests) a temporary root with its own /etc. */
export interface AccountToolOptions { platform: NodeJS.Platform; run: ToolRunner; root?: string }

/** The account tools of this platform; elsewhere every call fails with "unsupported on this platform". */
export function accountTools(opts: AccountToolOptions): AccountTools {
  if (opts.platform === 'linux') return new LinuxAccountTools(opts.run, opts.root);
  if (opts.platform === 'darwin') return new MacAccountTools(opts.run);
  const unsupported = async (): Promise<never> => { throw new UnsupportedPlatformError('local account management', opts.platform); };
  return { exists: unsupported, create: unsupported, delete: unsupported, disable: unsupported, setAdmin: unsupported, setPassword: unsupported };
}
