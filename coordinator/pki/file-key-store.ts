import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StateError } from '../../shared/errors.js';
import { atomicWriteFile } from '../../shared/fs/atomic-write.js';
import { SHARED_KEY_FILES, type SharedKeyStore, type SharedKeys } from './shared-key-store.js';

const LOCK = '.keys.lock';
const WAIT_MS = 30_000;
const STALE_LOCK_MS = 60_000;
const POLL_MS = 100;

/**
 * Shared keys as files in a key directory (the data dir, or a directory every coordinator mounts).
 * Creation is claimed with an exclusive lock file, so coordinators starting together create one set.
 */
export class FileKeyStore implements SharedKeyStore {
  constructor(private readonly dir: string) {}

  async loadOrCreate(create: () => SharedKeys): Promise<SharedKeys> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = await this.read();
      if (found) return found;
      const lock = await this.claim();
      if (lock) {
        try {
          const again = await this.read();
          if (again) return again;
          const created = create();
          for (const [k, file] of Object.entries(SHARED_KEY_FILES) as [keyof SharedKeys, string][]) {
            await atomicWriteFile(join(this.dir, file), created[k], file === 'ca.pem' ? 0o644 : 0o600);
          }
          return created;
        } finally {
          await lock();
        }
      }
      if (Date.now() > deadline) throw new StateError('KEYS_LOCKED', `keys in ${this.dir} are being created by another coordinator for too long (remove ${LOCK} if none runs)`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  // All four files, or undefined while any is missing.
  private async read(): Promise<SharedKeys | undefined> {
    const out: Partial<SharedKeys> = {};
    for (const [k, file] of Object.entries(SHARED_KEY_FILES) as [keyof SharedKeys, string][]) {
      try { out[k] = await readFile(join(this.dir, file), 'utf8'); } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    }
    return out as SharedKeys;
  }

  // The release function when this process got the lock; a lock left by a crashed creator goes stale.
  private async claim(): Promise<(() => Promise<void>) | undefined> {
    const path = join(this.dir, LOCK);
    try {
      await (await open(path, 'wx', 0o600)).close();
      return () => unlink(path).catch(() => {});
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) await unlink(path).catch(() => {});
      return undefined;
    }
  }
}
