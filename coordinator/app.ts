import type { RequestListener } from 'node:http';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { Router } from '@koa/router';
import Koa from 'koa';
import type { Logger } from '../shared/logger.js';
import { createAuthenticators } from './http/authenticators.js';
import { documentRoutes, mountRoutes } from './http/define-route.js';
import { createDeviceRouter, servedWithoutKoa } from './http/device-router.js';
import { errorHandler } from './http/error-handler.js';
import { LoadShedder, loadShed } from './http/load-shed.js';
import { securityHeaders } from './http/security-headers.js';
import { locateUiDir, staticUi } from './http/static-ui.js';
import type { ChunkStore } from '../shared/content/chunk-store.js';
import type { Metrics } from './metrics.js';
import type { OriginSeeder } from './nodes/origin-seeder.js';
import { authRoutes } from './routes/auth.js';
import { checkinRoutes } from './routes/checkins.js';
import { computerRoutes } from './routes/computers.js';
import { deviceIdentityRoutes } from './routes/device-identity.js';
import { enrollmentRoutes } from './routes/enrollment.js';
import { extensionAttributeRoutes } from './routes/extension-attributes.js';
import { groupRoutes } from './routes/groups.js';
import { inventoryRoutes } from './routes/inventory.js';
import { managementPasswordRoutes } from './routes/management-passwords.js';
import { packageRoutes } from './routes/packages.js';
import { policyRoutes } from './routes/policies.js';
import { nodeRoutes } from './routes/nodes.js';
import { policyResultRoutes } from './routes/policy-results.js';
import { scriptRoutes } from './routes/scripts.js';
import { segmentRoutes } from './routes/segments.js';
import { sessionRoutes } from './routes/session.js';
import { statsRoutes } from './routes/stats.js';
import type { Services } from './services/index.js';

/** What the HTTP app needs. */
export interface AppDeps {
  services: Services;
  metrics: Metrics;
  logger: Logger;
  maxInFlightDeviceRequests: number;
  caPem: string;
  /** Chunks of uploaded packages, served to devices. */
  originStore: ChunkStore;
  /** The origin seeder once it runs (nodes learn its address from `/node/v1/peers`). */
  originSeeder?: () => OriginSeeder | undefined;
  /** Built web UI to serve at `/` (default: found next to the code; absent answers 503 there). */
  uiDir?: string;
}

/**
 * Builds the coordinator's request listener without listening: device JSON routes (check-ins) on the
 * device router, everything else (admin REST, web UI, chunk downloads, health, metrics, OpenAPI) on Koa.
 */
export function createApp(deps: AppDeps): RequestListener {
  const { services: s, metrics, logger } = deps;
  const app = new Koa();
  app.proxy = false;
  // Koa would print raw stacks to stderr; socket errors after a response are routine (clients hang up).
  app.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    logger.error({ err }, 'http error');
  });
  const router = new Router();
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const auth = createAuthenticators(s.auth, s.computers, s.audit, s.nodes);

  app.use(async (ctx, next) => {
    const end = metrics.requests.startTimer({ method: ctx.method });
    try { await next(); } finally {
      end({ route: (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? 'unmatched', status: String(ctx.status) });
    }
  });
  app.use(securityHeaders());
  app.use(errorHandler(logger));
  const shedder = new LoadShedder(deps.maxInFlightDeviceRequests, [30, 120], () => metrics.shed.inc());
  app.use(loadShed(shedder));

  const routes = [
    ...authRoutes(s.auth, s.audit),
    ...sessionRoutes(s.auth),
    ...statsRoutes(s.stats),
    ...enrollmentRoutes(s.enrollment, deps.caPem),
    ...checkinRoutes(s.checkins, metrics),
    ...inventoryRoutes(s.inventory),
    ...computerRoutes(s.computers, s.policyLogs, s.explain),
    ...extensionAttributeRoutes(s.extensionAttributes),
    ...scriptRoutes(s.scripts),
    ...groupRoutes(s.groups),
    ...policyRoutes(s.policies, s.policyLogs),
    ...policyResultRoutes(s.policyLogs),
    ...managementPasswordRoutes(s.passwordEscrow),
    ...deviceIdentityRoutes(s.certificateRenewal),
    ...packageRoutes(s.packages, deps.originStore),
    ...segmentRoutes(s.segments, s.segmentTraffic, s.distributionOf),
    ...nodeRoutes(s.nodes, s.traffic, s.computers, deps.originSeeder ?? (() => undefined)),
  ];
  documentRoutes(registry, routes);
  mountRoutes(router, auth, routes.filter((spec) => !servedWithoutKoa(spec)));
  const deviceRouter = createDeviceRouter(routes.filter(servedWithoutKoa), { auth, shedder, metrics, logger });

  const openapi = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0', info: { title: 'Homing coordinator', version: '1' },
  });
  router.get('/api/v1/openapi.json', (ctx) => { ctx.body = openapi; });
  router.get('/healthz', (ctx) => { ctx.body = { status: 'ok' }; });
  router.get('/metrics', async (ctx) => {
    await auth.admin(ctx);
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });

  app.use(router.routes());
  app.use(staticUi(deps.uiDir ?? locateUiDir()));
  app.use(router.allowedMethods());
  const koa = app.callback();
  return (req, res) => deviceRouter(req, res) ?? koa(req, res);
}
