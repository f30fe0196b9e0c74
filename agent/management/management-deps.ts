import { DEFAULT_DELETE_ROOTS } from './path-safety.js';
import type { ReceiptStore } from './receipts.js';
import { processToolRunner, type ToolRunner } from './tool-runner.js';

/** What management payloads act through; every part is injectable so tests use a temporary root and never reboot. */
export interface ManagementDeps {
  run: ToolRunner;
  platform: NodeJS.Platform;
  /** Account tools act on this tree instead of the live system (tests: a copy of /etc). */
  accountRoot?: string;
  /** Roots inside which a policy may delete paths. */
  deleteRoots: readonly string[];
  /** Installed-package receipts, from the packages feature. */
  receipts?: ReceiptStore;
}

/** The live machine: real tools, this platform, the default delete roots (`HOMING_DELETE_ROOTS`, comma-separated, overrides). */
export function defaultManagementDeps(overrides: Partial<ManagementDeps> = {}): ManagementDeps {
  const fromEnv = process.env.HOMING_DELETE_ROOTS?.split(',').map((r) => r.trim()).filter(Boolean);
  return { run: processToolRunner, platform: process.platform, deleteRoots: fromEnv?.length ? fromEnv : DEFAULT_DELETE_ROOTS, ...overrides };
}
