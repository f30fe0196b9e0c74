import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How long a child gets to exit after SIGTERM before it is SIGKILLed. */
const STOP_GRACE_MS = 5000;

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Child processes and temp dirs owned by one bench run. `cleanup()` stops every child (SIGTERM,
 * then SIGKILL) and removes every dir; `installSignalHandlers()` runs it on Ctrl-C / SIGTERM, and a
 * synchronous last resort kills and removes everything on any other exit.
 */
export class Resources {
  private readonly children = new Set<ChildProcess>();
  private readonly dirs = new Set<string>();
  private cleaning?: Promise<void>;
  /** The signal that interrupted the run, if any (failures after it are expected). */
  interrupted?: NodeJS.Signals;

  /** Spawns a tracked child process. */
  spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn(command, args, options);
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Creates a tracked temp dir. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.add(dir);
    return dir;
  }

  /** Stops one child: SIGTERM, then SIGKILL after the grace period. */
  async stop(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited(child);
    clearTimeout(timer);
  }

  /** Stops all children and removes all temp dirs; safe to call more than once. */
  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      await Promise.all([...this.children].map((c) => this.stop(c)));
      for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
      this.dirs.clear();
    })();
    return this.cleaning;
  }

  /** Cleans up on SIGINT/SIGTERM (then exits 130/143) and, synchronously, on any exit. */
  installSignalHandlers(log: (line: string) => void): void {
    // Stay subscribed: a terminal Ctrl-C arrives twice (directly and relayed by the tsx CLI), and an
    // unhandled second signal would kill this process before the cleanup finishes.
    const onSignal = (sig: NodeJS.Signals) => {
      if (this.interrupted) return;
      this.interrupted = sig;
      log(`${sig}: stopping child processes and removing temp dirs`);
      void this.cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.once('exit', () => {
      for (const child of this.children) child.kill('SIGKILL');
      for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    });
  }
}
