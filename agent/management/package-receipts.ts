import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../shared/errors.js';
import type { Receipt } from '../packages/receipts.js';
import type { ReceiptCheck, ReceiptStore } from './receipts.js';

/** Reinstalls a package from its verified content even when its receipt says it is installed (restoring its files). */
export type Reinstall = (packageId: number, signal?: AbortSignal) => Promise<void>;

/** Repair needs a reinstall path the packages feature does not offer yet. */
export class RepairUnavailableError extends AppError {
  constructor() { super('REPAIR_UNAVAILABLE', 'repair needs a forced reinstall from the packages feature, which this agent lacks', 501); }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return `sha256:${hash.digest('hex')}`;
}

// A receipt entry on disk: `missing` (absent or of another type) or `modified` (a file whose digest changed).
async function checkEntry(dir: string, entry: Receipt['files'][number]): Promise<'ok' | 'missing' | 'modified'> {
  const path = join(dir, entry.path);
  const s = await lstat(path).catch(() => undefined);
  const type = s?.isSymbolicLink() ? 'symlink' : s?.isDirectory() ? 'directory' : s?.isFile() ? 'file' : undefined;
  if (type !== entry.type) return 'missing';
  return entry.type === 'file' && entry.digest && (await sha256File(path)) !== entry.digest ? 'modified' : 'ok';
}

/**
 * Receipt maintenance over the packages feature's receipts (`agent/packages/receipts.ts`): every installed
 * package's files are checked for presence, type and SHA-256; repair reinstalls the package through `reinstall`.
 */
export function packageReceiptStore(receipts: { list(): Promise<Receipt[]> }, reinstall?: Reinstall): ReceiptStore {
  const byName = new Map<string, Receipt>();
  return {
    async verify(signal) {
      const checks: ReceiptCheck[] = [];
      for (const r of (await receipts.list()).filter((x) => x.state === 'installed')) {
        byName.set(r.name, r);
        const check: ReceiptCheck = { packageName: r.name, version: r.version, missing: [], modified: [] };
        for (const f of r.files) {
          signal?.throwIfAborted();
          const state = await checkEntry(r.installDir, f);
          if (state !== 'ok') check[state].push(join(r.installDir, f.path));
        }
        checks.push(check);
      }
      return checks;
    },
    async repair(check, signal) {
      const receipt = byName.get(check.packageName);
      if (!reinstall || !receipt) throw new RepairUnavailableError();
      await reinstall(receipt.packageId, signal);
      const after = await Promise.all(receipt.files.map(async (f) => [join(receipt.installDir, f.path), await checkEntry(receipt.installDir, f)] as const));
      const broken = new Set([...check.missing, ...check.modified]);
      return after.filter(([path, state]) => state === 'ok' && broken.has(path)).map(([path]) => path);
    },
  };
}
