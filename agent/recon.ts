import { RemoteError } from '../shared/errors.js';
import { buildInventoryReport } from './inventory/delta.js';
import type { AgentRuntime } from './runtime.js';

/** Outcome of an inventory update. */
export interface ReconResult { sent: 'full' | 'delta' | 'nothing'; sections: string[] }

/**
 * Collects inventory and sends what changed since the last accepted report (everything on the
 * first run or with `full`). Digests are remembered only after the coordinator accepts.
 */
export async function recon(rt: AgentRuntime, opts: { full?: boolean; signal?: AbortSignal } = {}): Promise<ReconResult> {
  const eas = rt.state.bundle?.extensionAttributes ?? [];
  const inventory = await rt.collect(eas, opts.signal);
  let prepared = buildInventoryReport(inventory, rt.state.inventoryDigests, opts.full);
  if (!prepared.hasChanges) {
    rt.state.lastInventoryAt = rt.clock.now();
    await rt.store.save(rt.state);
    return { sent: 'nothing', sections: [] };
  }
  try {
    await rt.client.reportInventory(rt.state.computerId, prepared.report, opts.signal);
  } catch (err) {
    if (!(err instanceof RemoteError) || err.code !== 'INVENTORY_BASE_MISSING') throw err;
    prepared = buildInventoryReport(inventory, undefined, true);
    await rt.client.reportInventory(rt.state.computerId, prepared.report, opts.signal);
  }
  rt.state.inventoryDigests = prepared.digests;
  rt.state.lastInventoryAt = rt.clock.now();
  await rt.store.save(rt.state);
  const sections = Object.keys(prepared.report.inventory);
  rt.logger.info({ full: prepared.report.full, sections }, 'inventory reported');
  return { sent: prepared.report.full ? 'full' : 'delta', sections };
}
