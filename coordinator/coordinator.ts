import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SystemClock, type Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { createApp } from './app.js';
import { databaseUrl, serverNames, type CoordinatorConfig } from './config.js';
import { Database } from './db/database.js';
import { Metrics } from './metrics.js';
import { loadKeyMaterial, type KeyMaterial } from './pki/key-material.js';
import { generatePassword } from './services/passwords.js';
import { createServices, type Services } from './services/index.js';

/** A running coordinator. */
export interface Coordinator {
  /** First URL agents use, e.g. `https://127.0.0.1:8443`. */
  url: string;
  port: number;
  keys: KeyMaterial;
  db: Database;
  services: Services;
  /** Set only on the start that created the admin user with a generated password. */
  generatedAdminPassword?: string;
  stop(): Promise<void>;
}

/** Opens the database (migrating it), loads or creates keys, ensures the admin user, and listens on HTTPS. */
export async function startCoordinator(config: CoordinatorConfig, logger: Logger, clock: Clock = new SystemClock()): Promise<Coordinator> {
  const metrics = new Metrics();
  const db = new Database({ url: databaseUrl(config), poolMax: config.dbPoolMax, logger, onQuery: (ms) => metrics.dbQueries.observe(ms / 1000) });
  try {
    const applied = await db.migrate();
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');
    const keys = await loadKeyMaterial(config.dataDir, serverNames(config));

    const server: Server = createServer({
      key: keys.server.keyPem, cert: keys.server.certPem, ca: [keys.ca.certPem],
      requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2',
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => { server.off('error', reject); resolve(); });
    });
    const port = (server.address() as AddressInfo).port;
    const displayHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const coordinatorUrls = config.publicUrls.length ? config.publicUrls : [`https://${displayHost}:${port}`];

    const services = createServices({ db, keys, clock, logger, config, coordinatorUrls });
    const adminPassword = config.adminPassword ?? generatePassword();
    const created = await services.auth.ensureUser('admin', adminPassword, 'admin');
    services.recorder.start();
    const app = createApp({ services, metrics, logger, maxInFlightDeviceRequests: config.maxInFlightDeviceRequests, caPem: keys.ca.certPem });
    app.proxy = false;
    server.on('request', app.callback());
    server.keepAliveTimeout = 65_000;
    logger.info({ url: coordinatorUrls[0], port, db: db.dialect, dataDir: config.dataDir }, 'coordinator listening');

    return {
      url: coordinatorUrls[0]!, port, keys, db, services,
      ...(created && !config.adminPassword ? { generatedAdminPassword: adminPassword } : {}),
      async stop() {
        await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
        await services.recorder.stop();
        await db.close();
        logger.info('coordinator stopped');
      },
    };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}
