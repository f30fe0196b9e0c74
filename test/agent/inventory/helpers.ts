import { readFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';

/** A pino logger that keeps every record in memory so tests can assert on warnings. */
export function captureLogger(): { logger: Logger; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => { records.push(JSON.parse(line)); } });
  return { logger, records };
}

/** True while `pid` is a live process (zombies count as gone: nothing may reap them inside a container). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls `predicate` until it holds or `ms` passes. */
export async function waitFor(predicate: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return predicate();
}
