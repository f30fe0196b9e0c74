import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { Inventory, INVENTORY_SECTIONS, type InventoryReport } from '../../shared/schemas/inventory.js';
import type { Database } from '../db/database.js';
import type { ComputerRow } from '../db/models/computers.js';
import type { ComputerService } from './computer-service.js';
import type { MembershipService } from './membership-service.js';

/** A delta arrived for a computer that has no full inventory yet; the agent must send a full report. */
export class InventoryBaseMissingError extends AppError {
  constructor() { super('INVENTORY_BASE_MISSING', 'no full inventory on record; send a full report', 409); }
}

/** Stores inventory reports (full or per-section deltas) and the searchable fields derived from them; recalculates smart groups. */
export class InventoryService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly computers: ComputerService,
    private readonly memberships: MembershipService,
  ) {}

  /** Applies a report; returns the names of the sections that changed. */
  async apply(computer: ComputerRow, report: InventoryReport): Promise<string[]> {
    return this.db.write(async (transaction) => {
      // Locked: two coordinators merging deltas of one computer must not lose either.
      const row = await this.db.models.Computer.findByPk(computer.id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!row) throw new AppError('NOT_FOUND', 'computer not found', 404);
      let merged: Inventory;
      let changed: string[];
      if (report.full) {
        merged = report.inventory;
        changed = ['full'];
      } else {
        if (!row.inventory) throw new InventoryBaseMissingError();
        merged = Inventory.parse({ ...(JSON.parse(row.inventory) as Inventory), ...report.inventory });
        changed = INVENTORY_SECTIONS.filter((s) => s in report.inventory);
      }
      const loggedIn = merged.users.find((u) => u.loggedIn);
      await row.update({
        inventory: JSON.stringify(merged),
        name: merged.network.hostname || row.name,
        serial: merged.hardware.serial,
        model: merged.hardware.model,
        osName: merged.os.distro || merged.os.platform,
        osVersion: merged.os.release,
        username: loggedIn?.name ?? row.username,
        lastInventoryAt: new Date(this.clock.now()),
      }, { transaction });
      await this.memberships.recalculate(row, transaction);
      if (changed.length) {
        await this.computers.addHistory(row.id, 'inventory', report.full ? 'full inventory report' : `changed: ${changed.join(', ')}`, transaction);
      }
      return changed;
    });
  }
}
