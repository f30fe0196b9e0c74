import type { RequestListener } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SystemClock, type Clock } from '../shared/clock.js';
import { join } from 'node:path';
import type { ChunkStore } from '../shared/content/chunk-store.js';
import { FsChunkStore } from '../shared/content/fs-chunk-store.js';
import type { Logger } from '../shared/logger.js';
import { createApp } from './app.js';
import { InFlightRequests } from './http/in-flight-requests.js';
import { databaseUrl, type CoordinatorConfig } from './config.js';
import { Database } from './db/database.js';
import { Metrics } from './metrics.js';
import { Libp2pOriginSeeder, type OriginSeeder } from './nodes/origin-seeder.js';
import type { PackageCatalog } from './nodes/package-catalog.js';
import type { KeyMaterial } from './pki/key-material.js';
import { openKeyMaterial } from './pki/open-keys.js';
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
  /** Chunks of uploaded packages (`<data-dir>/chunks`). */
  originStore: ChunkStore;
  /** The origin store's libp2p seeder. */
  originSeeder: OriginSeeder;
  /** Set only on the start that created the admin user with a generated password. */
  generatedAdminPassword?: string;
  stop(): Promise<void>;
}

/** Parts a caller may substitute (tests, simulations). */
export interface CoordinatorOverrides {
  /** Where nodes' desired content finds signed manifests (default: the packages table). */
  packageCatalog?: PackageCatalog;
}

/** How long a stop waits for the requests being served before cutting their connections. */
const STOP_DRAIN_MS = 10_000;

/** Opens the database (migrating it), loads or creates keys, ensures the admin user, listens on HTTPS and seeds the mesh. */
export async function startCoordinator(config: CoordinatorConfig, logger: Logger, clock: Clock = new SystemClock(), overrides: CoordinatorOverrides = {}): Promise<Coordinator> {
  const metrics = new Metrics();
  const db = new Database({ url: databaseUrl(config), poolMax: config.dbPoolMax, logger, onQuery: (ms) => metrics.dbQueries.observe(ms / 1000) });
  try {
    const applied = await db.migrate();
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');
    const keys = await openKeyMaterial(config, db);

    const server: Server = createServer({
      key: keys.server.keyPem, cert: keys.server.certPem, ca: [keys.ca.certPem],
      requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2',
      // Agents come back once per check-in interval: a session outlives two of them, so a check-in resumes
      // instead of paying a full handshake (Node's default, 300 s, expired every one). Each request still
      // checks the certificate's serial against the database, so revocation is unaffected.
      sessionTimeout: 2 * config.checkinIntervalSeconds,
    });
    // Until the app is ready, answer 503 (retryable: agents and load balancers move to another coordinator) instead of hanging.
    let handle: RequestListener = (_req, res) => { res.writeHead(503, { 'retry-after': '5', 'content-type': 'application/json' }).end('{"error":{"code":"STARTING","message":"coordinator is starting"}}'); };
    const inFlight = new InFlightRequests();
    server.on('request', (req, res) => inFlight.track(handle(req, res)));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => { server.off('error', reject); resolve(); });
    });
    const port = (server.address() as AddressInfo).port;
    const displayHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const coordinatorUrls = config.publicUrls.length ? config.publicUrls : [`https://${displayHost}:${port}`];

    const originStore = new FsChunkStore(join(config.dataDir, 'chunks'));
    await originStore.start();
    const services = createServices({
      db, keys, clock, logger, config, coordinatorUrls, originStore, packageCatalog: overrides.packageCatalog,
      onTraffic: (source, bytes) => metrics.distributionBytes.inc({ source }, bytes),
    });
    const adminPassword = config.adminPassword ?? generatePassword();
    const created = await services.auth.ensureUser('admin', adminPassword, 'admin');
    services.recorder.start();
    const originSeeder = new Libp2pOriginSeeder({
      dataDir: config.dataDir, host: config.host, port: config.p2pPort, store: originStore, uploadBytesPerSecond: config.originUploadBytesPerSecond, clock,
      catalog: services.nodes.catalog, nodes: services.nodes, traffic: services.traffic, logger,
    });
    await originSeeder.start();
    const trafficFlush = setInterval(() => { void services.traffic.flush().catch((err) => logger.warn({ err }, 'traffic flush failed')); }, 5_000);
    trafficFlush.unref();
    handle = createApp({
      services, metrics, logger, maxInFlightDeviceRequests: config.maxInFlightDeviceRequests, caPem: keys.ca.certPem, originStore, originSeeder: () => originSeeder,
    });
    server.keepAliveTimeout = 65_000;
    logger.info({ url: coordinatorUrls[0], port, db: db.dialect, dataDir: config.dataDir }, 'coordinator listening');

    return {
      url: coordinatorUrls[0]!, port, keys, db, services, originStore, originSeeder,
      ...(created && !config.adminPassword ? { generatedAdminPassword: adminPassword } : {}),
      async stop() {
        // Stop accepting, let the requests being served finish (their writes land), then cut what is left.
        const closed = new Promise<void>((resolve) => { server.close(() => resolve()); });
        if (!(await inFlight.settled(STOP_DRAIN_MS))) logger.warn({ requests: inFlight.size }, `requests still running after ${STOP_DRAIN_MS / 1000} s; stopping anyway`);
        server.closeAllConnections();
        await closed;
        clearInterval(trafficFlush);
        await originSeeder.stop();
        await services.traffic.flush();
        await originStore.stop();
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
