import { Command } from 'commander';
import { EXIT, runAction } from '../../shared/cli/run-command.js';
import { databaseUrl, readCoordinatorConfig } from '../config.js';
import { backupDatabase, redactUrl } from './backup.js';
import { Database } from './database.js';

interface DbOptions { dataDir?: string; db?: string }

// Opens the database the coordinator config names, runs `fn`, and closes it.
async function withDatabase<T>(opts: DbOptions, fn: (db: Database, url: string) => Promise<T>): Promise<T> {
  const config = readCoordinatorConfig({ dataDir: opts.dataDir, db: opts.db });
  const url = databaseUrl(config);
  const db = new Database({ url, poolMax: 2 });
  try { return await fn(db, url); } finally { await db.close(); }
}

const withDbOptions = (c: Command) => c
  .option('--data-dir <dir>', 'the coordinator data dir (env HOMING_DATA_DIR)')
  .option('--db <url>', 'sqlite (default), a SQLite file path, or postgres://… (env HOMING_DB_URL)');

/** `homing db migrate|backup`: schema migrations and backups of the coordinator database. */
export function dbCommand(): Command {
  const cmd = new Command('db').description('migrate or back up the coordinator database');
  cmd.addCommand(withDbOptions(new Command('migrate'))
    .description('apply pending migrations (coordinators also migrate on start)')
    .action((opts: DbOptions) => runAction(() => withDatabase(opts, async (db, url) => {
      const applied = await db.migrate();
      process.stdout.write(applied.length ? `Applied ${applied.join(', ')} to ${redactUrl(url)}\n` : `${redactUrl(url)} is up to date\n`);
    }))));
  cmd.addCommand(withDbOptions(new Command('backup'))
    .description('online backup: a consistent SQLite copy while the coordinator runs; for PostgreSQL, the pg_dump command')
    .requiredOption('-o, --output <file>', 'backup file to create')
    .action((opts: DbOptions & { output: string }) => runAction(() => withDatabase(opts, async (db, url) => {
      const result = await backupDatabase(db, url, opts.output);
      if (result.kind === 'sqlite') {
        process.stdout.write(`Backed up ${url} to ${result.file} (${result.bytes} bytes)\n`);
      } else {
        process.stderr.write(`homing db backup copies SQLite only; back up PostgreSQL with pg_dump:\n  ${result.hint}\n`);
        process.exitCode = EXIT.failure;
      }
    }))));
  return cmd;
}
