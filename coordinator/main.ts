import { Command } from 'commander';
import { runAction, untilSignal } from '../shared/cli/run-command.js';
import { createLogger } from '../shared/logger.js';
import { readCoordinatorConfig } from './config.js';
import { startCoordinator } from './coordinator.js';

/** `homing coordinator`: runs the coordinator until SIGINT/SIGTERM. */
export function coordinatorCommand(): Command {
  return new Command('coordinator')
    .description('run the coordinator: REST API, device and node endpoints over HTTPS')
    .option('--data-dir <dir>', 'where the CA, keys and SQLite database live (env HOMING_DATA_DIR)', undefined)
    .option('--port <port>', 'HTTPS port, 0 for any free port (env HOMING_PORT; default 8443)')
    .option('--host <addr>', 'address to listen on (env HOMING_HOST; default 0.0.0.0)')
    .option('--db <url>', 'sqlite (default), a SQLite file path, or postgres://… (env HOMING_DB_URL)')
    .option('--p2p-port <port>', 'libp2p TCP port of the origin seeder, 0 for any (env HOMING_P2P_PORT; default 4001)')
    .option('--public-url <urls>', 'comma-separated URLs agents should use (env HOMING_PUBLIC_URLS)')
    .option('--key-store <store>', 'files (in --key-dir) or database (encrypted; env HOMING_KEY_STORE)')
    .option('--key-dir <dir>', 'directory of the CA and signing keys, shared by coordinators (env HOMING_KEY_DIR; default the data dir)')
    .addHelpText('after', '\nFirst start creates <data-dir>/ca.pem (the CA agents pin) and the admin user, whose\npassword is HOMING_ADMIN_PASSWORD or a generated one printed once.')
    .action((opts: { dataDir?: string; port?: string; host?: string; db?: string; publicUrl?: string; keyStore?: string; keyDir?: string; p2pPort?: string }) => runAction(async () => {
      const config = readCoordinatorConfig({
        dataDir: opts.dataDir, port: opts.port, host: opts.host, db: opts.db, publicUrls: opts.publicUrl, keyStore: opts.keyStore, keyDir: opts.keyDir, p2pPort: opts.p2pPort,
      });
      const logger = createLogger('coordinator');
      const coordinator = await startCoordinator(config, logger);
      if (coordinator.generatedAdminPassword) {
        process.stderr.write(`\n  Admin user created: admin / ${coordinator.generatedAdminPassword}\n  This password is shown once. Sign in with POST /api/v1/auth/token.\n\n`);
      }
      process.stderr.write(`Homing coordinator at ${coordinator.url} (CA to pin: ${config.dataDir}/ca.pem)\n`);
      const sig = await untilSignal();
      logger.info({ signal: sig }, 'stopping');
      await coordinator.stop();
    }));
}
