import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import type { ComputerRow } from '../db/models/computers.js';
import { bumpBundleSerials } from '../services/bundle-serial.js';
import type { SegmentDirectory } from './segment-directory.js';

/**
 * Decides a computer's segment from the address the coordinator sees on check-in; when it changes, stores it
 * and bumps the computer's bundle serial so scope by segment and the distribution chain follow.
 */
export class SegmentAssigner {
  constructor(
    private readonly db: Database,
    private readonly directory: SegmentDirectory,
    /** Runs in the move's transaction (smart groups on `computer.segmentId`). */
    private readonly onMove: (computer: ComputerRow, transaction: Transaction) => Promise<void>,
  ) {}

  /** The computer with its current segment (unchanged, and no write, when it stayed in its segment). */
  async assign(computer: ComputerRow, address: string): Promise<ComputerRow> {
    const segmentId = (await this.directory.snapshot()).matcher.match(address);
    if (segmentId === (computer.segmentId ?? null)) return computer;
    const moved = { ...computer, segmentId };
    await this.db.write(async (transaction) => {
      await this.db.models.Computer.update({ segmentId }, { where: { id: computer.id }, transaction });
      await bumpBundleSerials(this.db, [computer.id], transaction);
      await this.onMove(moved, transaction);
    });
    // Re-read: the move and any smart-group change each bumped the bundle serial.
    const row = await this.db.models.Computer.findByPk(computer.id);
    return row ? row.get({ plain: true }) : moved;
  }
}
