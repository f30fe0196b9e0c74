import { run, runQuietly } from './ip-command.js';

/** Synchronous teardowns of the topologies this process still holds. */
const live = new Set<() => void>();
let installed = false;

function teardownAll(): void {
  for (const teardown of [...live]) teardown();
}

/** Tears everything down on a signal, then lets the signal do what it would have done without us. */
function onSignal(signal: NodeJS.Signals): void {
  teardownAll();
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

/** Registers a topology's teardown to run on exit and on SIGINT/SIGTERM (whatever else the process does). */
export function trackTopology(teardown: () => void): void {
  live.add(teardown);
  if (installed) return;
  installed = true;
  process.once('exit', teardownAll);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Forgets a topology that has been torn down. */
export function untrackTopology(teardown: () => void): void {
  live.delete(teardown);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes namespaces and bridges left by topology owners that died without cleaning up (SIGKILL, a crash). */
export function removeStaleTopologies(): void {
  for (const line of run('ip', ['netns', 'list']).split('\n')) {
    const m = /^(homing-(\d+)-\d+-\d+)\b/.exec(line);
    if (m && !alive(Number(m[2]))) runQuietly('ip', ['netns', 'del', m[1]!]);
  }
  for (const line of run('ip', ['-o', 'link', 'show', 'type', 'bridge']).split('\n')) {
    const m = /^\d+: (hb([0-9a-z]+)-[0-9a-z]+)[:@]/.exec(line);
    if (m && !alive(Number.parseInt(m[2]!, 36))) runQuietly('ip', ['link', 'del', m[1]!]);
  }
}
