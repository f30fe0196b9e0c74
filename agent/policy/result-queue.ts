import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile } from '../../shared/fs/atomic-write.js';
import { PolicyResult } from '../../shared/schemas/policy-results.js';
import type { Logger } from '../../shared/logger.js';

/** A run the agent knows of but its held bundle may not yet show: queued, or delivered after the bundle was built. */
export interface LocalRun { key: string; policyId: number; at: number; status: 'success' | 'failed'; user: string | null }

interface DeliveredMarker extends LocalRun { deliveredAt: number }

const BATCH = 20;

/**
 * Policy results on disk, one atomically written file per idempotency key: `pending/` until the coordinator
 * acknowledges them, then a small marker in `delivered/` until a bundle built after the delivery arrives.
 * A crash between acknowledgement and bookkeeping only re-sends, and the coordinator ignores known keys.
 */
export class ResultQueue {
  private readonly pendingDir: string;
  private readonly deliveredDir: string;

  constructor(stateDir: string, private readonly logger: Logger) {
    this.pendingDir = join(stateDir, 'policy-results', 'pending');
    this.deliveredDir = join(stateDir, 'policy-results', 'delivered');
  }

  /** Stores a result durably before anything tries to send it. */
  async enqueue(result: PolicyResult): Promise<void> {
    await mkdir(this.pendingDir, { recursive: true, mode: 0o700 });
    await atomicWriteFile(join(this.pendingDir, `${result.idempotencyKey}.json`), JSON.stringify(result));
  }

  /** Queued results, oldest first; unreadable files are dropped with a warning. */
  async pending(): Promise<PolicyResult[]> {
    const results: PolicyResult[] = [];
    for (const name of await list(this.pendingDir)) {
      const path = join(this.pendingDir, name);
      const parsed = PolicyResult.safeParse(await readJson(path));
      if (parsed.success) results.push(parsed.data);
      else { this.logger.warn({ path }, 'dropping an unreadable queued policy result'); await unlink(path).catch(() => {}); }
    }
    return results.sort((a, b) => a.finishedAt - b.finishedAt);
  }

  /** Runs queued or recently delivered, for frequency decisions alongside the bundle's history. */
  async localRuns(): Promise<LocalRun[]> {
    const delivered: LocalRun[] = [];
    for (const name of await list(this.deliveredDir)) {
      const marker = (await readJson(join(this.deliveredDir, name))) as DeliveredMarker | undefined;
      if (marker?.key) delivered.push(marker);
    }
    const queued = (await this.pending()).map((r) => ({ key: r.idempotencyKey, policyId: r.policyId, at: r.finishedAt, status: r.status, user: r.username }));
    return [...queued, ...delivered];
  }

  /** Sends every queued result in batches (oldest first); stops at the first failure, which it rethrows. */
  async deliver(send: (batch: PolicyResult[]) => Promise<unknown>, now: () => number): Promise<number> {
    const queued = await this.pending();
    let delivered = 0;
    for (let i = 0; i < queued.length; i += BATCH) {
      const batch = queued.slice(i, i + BATCH);
      await send(batch);
      await mkdir(this.deliveredDir, { recursive: true, mode: 0o700 });
      for (const r of batch) {
        const marker: DeliveredMarker = { key: r.idempotencyKey, policyId: r.policyId, at: r.finishedAt, status: r.status, user: r.username, deliveredAt: now() };
        await atomicWriteFile(join(this.deliveredDir, `${r.idempotencyKey}.json`), JSON.stringify(marker));
        await unlink(join(this.pendingDir, `${r.idempotencyKey}.json`)).catch(() => {});
      }
      delivered += batch.length;
    }
    return delivered;
  }

  /** A bundle requested at `since` shows every run delivered before then; forget those markers. */
  async forgetDeliveredBefore(since: number): Promise<void> {
    for (const name of await list(this.deliveredDir)) {
      const path = join(this.deliveredDir, name);
      const marker = (await readJson(path)) as DeliveredMarker | undefined;
      if (!marker || marker.deliveredAt <= since) await unlink(path).catch(() => {});
    }
  }
}

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith('.json'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

async function readJson(path: string): Promise<unknown> {
  try { return JSON.parse(await readFile(path, 'utf8')) as unknown; } catch { return undefined; }
}
