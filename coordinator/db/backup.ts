import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConflictError } from '../../shared/errors.js';
import type { Database } from './database.js';

/** What `backup` did: wrote a SQLite copy, or (Postgres) the pg_dump command to run instead. */
export type BackupResult = { kind: 'sqlite'; file: string; bytes: number } | { kind: 'postgres'; hint: string };

/** The database URL without its password (for printing). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * Backs up a live database: on SQLite a consistent online copy (`VACUUM INTO`, readers and writers keep
 * going); Postgres is backed up with its own tools, so the answer is the pg_dump command line.
 */
export async function backupDatabase(db: Database, url: string, outFile: string): Promise<BackupResult> {
  if (db.dialect === 'postgres') {
    return { kind: 'postgres', hint: `pg_dump --format=custom --file=${JSON.stringify(outFile)} ${JSON.stringify(redactUrl(url))}` };
  }
  const file = resolve(outFile);
  if (await stat(file).then(() => true, () => false)) throw new ConflictError(`${file} exists; choose a new file`);
  await db.sequelize.query('VACUUM INTO :file', { replacements: { file } });
  return { kind: 'sqlite', file, bytes: (await stat(file)).size };
}
