import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManagementPayload } from '../../../shared/schemas/management-payloads.js';
import { recon } from '../../recon.js';
import type { ItemOutcome } from '../package-installer.js';
import type { ManagementContext } from './management-context.js';

type MaintenanceItem = Extract<ManagementPayload, { type: 'maintenance' }>;

// State-dir entries that are caches, rebuilt on demand (package downloads).
const AGENT_CACHE_DIRS = ['cache', 'downloads'];

/**
 * Maintenance: a full inventory report, flushing the agent's caches (the next check-in fetches a fresh bundle and
 * the next inventory is full), and verifying installed-package receipts, repairing missing or changed files.
 */
export async function applyMaintenance(item: MaintenanceItem, ctx: ManagementContext): Promise<ItemOutcome> {
  const { rt } = ctx;
  const lines: string[] = [];
  let failed = false;
  for (const task of ['inventory', 'flush-caches', 'verify-receipts', 'repair-receipts'] as const) {
    if (!item.tasks.includes(task)) continue;
    if (task === 'inventory') lines.push(`inventory: ${(await recon(rt, { full: true, signal: ctx.signal })).sent}`);
    if (task === 'flush-caches') {
      await Promise.all(AGENT_CACHE_DIRS.map((d) => rm(join(rt.store.dir, d), { recursive: true, force: true })));
      // Keep the bundle itself so policies still run offline; forgetting the etag makes the next check-in fetch it anew.
      delete rt.state.etag;
      delete rt.state.inventoryDigests;
      await rt.store.save(rt.state);
      lines.push('caches flushed');
    }
    if (task === 'verify-receipts' && !item.tasks.includes('repair-receipts')) {
      const r = await verifyReceipts(ctx, false);
      failed ||= r.failed;
      lines.push(...r.lines);
    }
    if (task === 'repair-receipts') {
      const r = await verifyReceipts(ctx, true);
      failed ||= r.failed;
      lines.push(...r.lines);
    }
  }
  return { status: failed ? 'failed' : 'success', message: lines.join('; ').slice(0, 2000), exitCode: null, output: lines.join('\n') };
}

async function verifyReceipts(ctx: ManagementContext, repair: boolean): Promise<{ failed: boolean; lines: string[] }> {
  const receipts = ctx.deps.receipts;
  if (!receipts) return { failed: true, lines: ['receipts: unavailable (this agent has no packages feature)'] };
  const damaged = (await receipts.verify(ctx.signal)).filter((c) => c.missing.length || c.modified.length);
  if (!damaged.length) return { failed: false, lines: ['receipts: every installed package is intact'] };
  const lines: string[] = [];
  let failed = false;
  for (const check of damaged) {
    const name = `${check.packageName} ${check.version}`;
    const broken = [...check.missing, ...check.modified];
    if (!repair) { failed = true; lines.push(`receipts: ${name} has ${broken.length} missing or changed file(s): ${broken.join(', ')}`); continue; }
    try {
      const restored = await receipts.repair(check, ctx.signal);
      lines.push(`receipts: ${name} repaired (${restored.join(', ')})`);
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      failed = true;
      lines.push(`receipts: ${name} repair failed: ${(err as Error).message}`);
    }
  }
  return { failed, lines };
}
