import { literal, type Transaction } from 'sequelize';
import type { Database } from '../db/database.js';

/** Marks the computers' cached bundles stale (their scope inputs or policy logs changed) inside the caller's transaction. */
export async function bumpBundleSerials(db: Database, computerIds: readonly number[], transaction: Transaction): Promise<void> {
  if (!computerIds.length) return;
  await db.models.Computer.update(
    { bundleSerial: literal('bundle_serial + 1') as unknown as number },
    { where: { id: [...new Set(computerIds)] }, transaction },
  );
}
