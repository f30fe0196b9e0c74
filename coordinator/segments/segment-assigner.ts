import type { Transaction } from 'sequelize';
import type { Inventory } from '../../shared/schemas/inventory.js';
import type { Database } from '../db/database.js';
import type { ComputerRow } from '../db/models/computers.js';
import { bumpBundleSerials } from '../services/bundle-serial.js';
import type { SegmentDirectory } from './segment-directory.js';

/** What a move hands on: enough to recalculate smart groups. */
export interface MovedComputer { id: number; name: string; inventory: string | null; segmentId: number | null }

/**
 * Decides a computer's segment from the address the coordinator sees on check-in (or, when that is in no segment
 * and the admin allows it, from the interface addresses its inventory reports); when it changes, stores it
 * and bumps the computer's bundle serial so scope by segment and the distribution chain follow.
 */
export class SegmentAssigner {
  constructor(
    private readonly db: Database,
    private readonly directory: SegmentDirectory,
    /** Runs in the move's transaction with the computer's name, inventory and new segment (smart groups on `computer.segmentId`). */
    private readonly onMove: (computer: MovedComputer, transaction: Transaction) => Promise<void>,
  ) {}

  /** The computer with its current segment (unchanged, and no write, when it stayed in its segment). */
  async assign(computer: ComputerRow, address: string): Promise<ComputerRow> {
    const { matcher, useReportedAddresses } = await this.directory.snapshot();
    const seen = matcher.match(address);
    const segmentId = seen === null && useReportedAddresses ? matcher.matchAny(await this.reportedAddresses(computer.id)) : seen;
    if (segmentId === (computer.segmentId ?? null)) return computer;
    await this.db.write(async (transaction) => {
      await this.db.models.Computer.update({ segmentId }, { where: { id: computer.id }, transaction });
      await bumpBundleSerials(this.db, [computer.id], transaction);
      const full = await this.db.models.Computer.findByPk(computer.id, { attributes: ['id', 'name', 'inventory'], transaction });
      if (full) await this.onMove({ id: full.id, name: full.name, inventory: full.inventory, segmentId }, transaction);
    });
    // Re-read: the move and any smart-group change each bumped the bundle serial.
    const row = await this.db.models.Computer.findByPk(computer.id, { attributes: { exclude: ['inventory'] } });
    return row ? row.get({ plain: true }) : { ...computer, segmentId };
  }

  // Interface addresses in inventory order (the check-in row leaves inventory out); none before the first inventory.
  private async reportedAddresses(computerId: number): Promise<string[]> {
    const row = await this.db.models.Computer.findByPk(computerId, { attributes: ['inventory'] });
    if (!row?.inventory) return [];
    const network = (JSON.parse(row.inventory) as Partial<Inventory>).network;
    return (network?.interfaces ?? []).flatMap((i) => [...i.ipv4, ...i.ipv6]);
  }
}
