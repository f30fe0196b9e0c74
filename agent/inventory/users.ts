import { readFile } from 'node:fs/promises';
import type { Logger } from '../../shared/logger.js';
import type { Inventory } from '../../shared/schemas/inventory.js';
import type { CommandRunner } from './command-runner.js';
import { capArray, clampString } from './limits.js';

/** One local account as the inventory reports it. */
export type UserItem = Inventory['users'][number];

/** A local account before the logged-in flag is known. */
export interface LocalAccount { name: string; uid: number; home: string }

/** The schema's cap on user entries. */
export const MAX_USERS = 10_000;

const NO_LOGIN_SHELL = /(?:\/nologin|\/false|\/sync|\/shutdown|\/halt)$/;
const NOBODY_UID = 65534;

/** Parses passwd(5) text and keeps root plus human accounts (uid ≥ 1000 with a login shell). */
export function parsePasswd(text: string, minHumanUid = 1000): LocalAccount[] {
  const accounts: LocalAccount[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('+') || line.startsWith('-')) continue;
    const fields = line.split(':');
    if (fields.length < 7) continue;
    const [name, , uidText, , , home, shell] = fields as [string, string, string, string, string, string, string];
    const uid = Number(uidText);
    if (!name || !Number.isInteger(uid)) continue;
    const human = uid >= minHumanUid && uid !== NOBODY_UID && !NO_LOGIN_SHELL.test(shell.trim());
    if (uid === 0 || human) accounts.push({ name, uid, home });
  }
  return accounts;
}

/** Parses `dscl . -list /Users UniqueID` (macOS), keeping root and non-system accounts (uid ≥ 500, no leading `_`). */
export function parseDsclUsers(text: string): LocalAccount[] {
  const accounts: LocalAccount[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(-?\d+)\s*$/.exec(line);
    if (!m) continue;
    const name = m[1]!;
    const uid = Number(m[2]);
    if (uid === 0 || (uid >= 500 && !name.startsWith('_'))) {
      accounts.push({ name, uid, home: uid === 0 ? '/var/root' : `/Users/${name}` });
    }
  }
  return accounts;
}

/** Where to read accounts from. */
export interface UsersOptions {
  platform: NodeJS.Platform;
  runner: CommandRunner;
  logger: Logger;
  /** Names of users with a session now (systeminformation's `users()`). */
  loggedIn: readonly string[];
  passwdPath?: string;
  signal?: AbortSignal;
}

async function localAccounts(opts: UsersOptions): Promise<LocalAccount[]> {
  try {
    if (opts.platform === 'darwin') {
      const out = await opts.runner('dscl', ['.', '-list', '/Users', 'UniqueID'],
        { timeoutMs: 10_000, maxBuffer: 8 * 1024 * 1024, signal: opts.signal });
      return parseDsclUsers(out);
    }
    return parsePasswd(await readFile(opts.passwdPath ?? '/etc/passwd', 'utf8'));
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    opts.logger.warn({ err }, 'reading local accounts failed');
    return [];
  }
}

/** Local human accounts plus root, flagged when logged in; directory (LDAP/AD) users with a session are added with a null uid. */
export async function collectUsers(opts: UsersOptions): Promise<UserItem[]> {
  const online = new Set(opts.loggedIn.filter(Boolean));
  const accounts = await localAccounts(opts);
  const known = new Set(accounts.map((a) => a.name));
  const users: UserItem[] = accounts.map((a) => ({
    name: clampString(a.name), uid: a.uid, home: clampString(a.home), loggedIn: online.has(a.name),
  }));
  for (const name of [...online].sort()) {
    if (!known.has(name)) users.push({ name: clampString(name), uid: null, home: '', loggedIn: true });
  }
  return capArray(users, MAX_USERS);
}
