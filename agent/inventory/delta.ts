import { canonicalJson, sha256, type Digest } from '../../shared/digest.js';
import { INVENTORY_SECTIONS, type Inventory, type InventoryReport } from '../../shared/schemas/inventory.js';

/** Name of one inventory section. */
export type InventorySection = keyof Inventory;

/** Digest of each section, as remembered after the coordinator accepted a report. */
export type SectionDigests = Record<InventorySection, Digest>;

/** Digest of every section of `inv` (canonical JSON, so key order never matters). */
export function sectionDigests(inv: Inventory): SectionDigests {
  const out = {} as SectionDigests;
  for (const section of INVENTORY_SECTIONS) out[section] = sha256(canonicalJson(inv[section]));
  return out;
}

/** The sections of `inv` whose digest differs from (or is missing in) `previous`. */
export function changedSections(inv: Inventory, previous: Partial<Record<InventorySection, string>>): Partial<Inventory> {
  const current = sectionDigests(inv);
  const delta: Record<string, unknown> = {};
  for (const section of INVENTORY_SECTIONS) {
    if (previous[section] !== current[section]) delta[section] = inv[section];
  }
  return delta as Partial<Inventory>;
}

/** A report to send plus the digests to remember once the coordinator has accepted it. */
export interface PreparedInventoryReport {
  report: InventoryReport;
  digests: SectionDigests;
  /** False when a delta report carries no section (the agent may skip sending it). */
  hasChanges: boolean;
}

/** Builds a full report when nothing was reported before (or `forceFull`), else a report of the changed sections only. */
export function buildInventoryReport(
  inv: Inventory,
  previous?: Partial<Record<InventorySection, string>> | null,
  forceFull = false,
): PreparedInventoryReport {
  const digests = sectionDigests(inv);
  if (!previous || forceFull || Object.keys(previous).length === 0) {
    return { report: { full: true, inventory: inv }, digests, hasChanges: true };
  }
  const delta = changedSections(inv, previous);
  return { report: { full: false, inventory: delta }, digests, hasChanges: Object.keys(delta).length > 0 };
}
