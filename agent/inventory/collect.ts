import si from 'systeminformation';
import { silentLogger, type Logger } from '../../shared/logger.js';
import { Inventory } from '../../shared/schemas/inventory.js';
import { collectBootTime } from './boot-time.js';
import { execFileRunner, type CommandRunner } from './command-runner.js';
import { InventoryInvalidError } from './errors.js';
import { runExtensionAttributes, type ExtensionAttributeDef } from './extension-attributes.js';
import { collectHardware, collectOs } from './hardware.js';
import { collectNetwork } from './network.js';
import { collectSoftware } from './software.js';
import { collectUsers } from './users.js';

/** What `collectInventory` needs; everything but the attribute list has a working default. */
export interface CollectInventoryOptions {
  extensionAttributes: readonly ExtensionAttributeDef[];
  signal?: AbortSignal;
  logger?: Logger;
  /** Runs package-manager and directory-service commands. */
  runner?: CommandRunner;
  platform?: NodeJS.Platform;
  passwdPath?: string;
  applicationsDir?: string;
  extensionAttributeTimeoutMs?: number;
  extensionAttributeMaxOutputBytes?: number;
  extensionAttributeConcurrency?: number;
}

/** Gathers a full, schema-valid inventory of this machine; probes that fail contribute defaults, never errors. */
export async function collectInventory(opts: CollectInventoryOptions): Promise<Inventory> {
  const { signal } = opts;
  signal?.throwIfAborted();
  const logger = opts.logger ?? silentLogger();
  const runner = opts.runner ?? execFileRunner;
  const platform = opts.platform ?? process.platform;

  const sessions = si.users().catch((err: unknown) => {
    logger.warn({ err }, 'listing logged-in users failed');
    return [];
  });
  const [hardware, osSection, network, users, software, bootTime, extensionAttributes] = await Promise.all([
    collectHardware(),
    collectOs(),
    collectNetwork(),
    sessions.then((s) => collectUsers({
      platform, runner, logger, signal, passwdPath: opts.passwdPath, loggedIn: s.map((u) => u.user),
    })),
    collectSoftware({ platform, runner, logger, signal, applicationsDir: opts.applicationsDir }),
    collectBootTime(),
    runExtensionAttributes(opts.extensionAttributes, {
      logger, signal,
      timeoutMs: opts.extensionAttributeTimeoutMs,
      maxOutputBytes: opts.extensionAttributeMaxOutputBytes,
      concurrency: opts.extensionAttributeConcurrency,
    }),
  ]);
  signal?.throwIfAborted();

  const parsed = Inventory.safeParse({ hardware, os: osSection, network, users, software, bootTime, extensionAttributes });
  if (!parsed.success) throw new InventoryInvalidError(parsed.error.issues);
  return parsed.data;
}
