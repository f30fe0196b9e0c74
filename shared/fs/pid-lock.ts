import { open, readFile, unlink } from 'node:fs/promises';
import { AppError } from '../errors.js';

/** Another live process holds the lock. */
export class AlreadyRunningError extends AppError {
  constructor(path: string, pid: number) { super('ALREADY_RUNNING', `another instance (pid ${pid}) holds ${path}`, 409); }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** A single-instance lock: a pid file created exclusively; a stale file of a dead process is taken over. */
export class PidLock {
  private held = false;
  constructor(readonly path: string) {}

  async acquire(): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await open(this.path, 'wx', 0o600);
        await fh.writeFile(String(process.pid));
        await fh.close();
        this.held = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number((await readFile(this.path, 'utf8').catch(() => '')).trim());
        if (pid && alive(pid)) throw new AlreadyRunningError(this.path, pid);
        await unlink(this.path).catch(() => {});
      }
    }
    throw new AlreadyRunningError(this.path, 0);
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await unlink(this.path).catch(() => {});
  }
}
