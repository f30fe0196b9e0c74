import type { IncomingMessage, ServerResponse } from 'node:http';
import { StateError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { ComputerRow } from '../db/models/computers.js';
import type { Metrics } from '../metrics.js';
import type { Authenticators, RouteInput, RouteSpec } from './define-route.js';
import { validateInput } from './define-route.js';
import { errorAnswer } from './error-answer.js';
import type { LoadShedder } from './load-shed.js';
import { API_HEADERS } from './security-headers.js';

/** What the device router needs; the same authenticators, shedder and metrics as the Koa app. */
export interface DeviceRouterDeps {
  auth: Pick<Authenticators, 'device'>;
  shedder: LoadShedder;
  metrics: Metrics;
  logger: Logger;
}

/** Serves one request if it is for a route of this router; undefined hands it on (to the Koa app). */
export type DeviceRouter = (req: IncomingMessage, res: ServerResponse) => Promise<void> | undefined;

/** Device routes with JSON in and out are served by the device router; the rest (streams, queries) by Koa. */
export function servedWithoutKoa(spec: RouteSpec<any, any, any>): boolean {
  return spec.access === 'device' && !spec.stream && !spec.query;
}

interface CompiledRoute { spec: RouteSpec<any, any, any>; pattern: RegExp; names: string[] }

/**
 * Serves the device JSON routes (check-ins above all: every agent, every ~30 minutes) on Node's
 * request listener directly, without Koa's per-request context, middleware chain and router: the
 * same route specs, client-certificate authentication, validation, load shedding, error format,
 * API headers and metrics as the Koa app.
 */
export function createDeviceRouter(specs: RouteSpec<any, any, any>[], deps: DeviceRouterDeps): DeviceRouter {
  const routes = specs.map((spec): CompiledRoute => {
    if (!servedWithoutKoa(spec)) throw new StateError('ROUTE_NOT_DEVICE_JSON', `${spec.method} ${spec.path} needs Koa`);
    const names: string[] = [];
    const source = spec.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, name: string) => { names.push(name); return '([^/]+)'; });
    return { spec, pattern: new RegExp(`^${source}/?$`), names };
  });

  return (req, res) => {
    const url = req.url ?? '';
    if (!url.startsWith('/device/')) return undefined;
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const method = req.method === 'HEAD' ? 'get' : (req.method ?? '').toLowerCase();
    let allowed: string[] | undefined;
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      if (route.spec.method !== method) { (allowed ??= []).push(route.spec.method.toUpperCase()); continue; }
      const params: Record<string, string> = {};
      for (let i = 0; i < route.names.length; i++) params[route.names[i]!] = safeDecode(match[i + 1]!);
      return serve(route.spec, params, req, res, path, deps);
    }
    if (!allowed) return undefined;
    const allow = allowed.join(', ');
    if (req.method === 'OPTIONS') send(res, 204, undefined, { Allow: allow });
    else send(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed on ${path}` } }, { Allow: allow });
    return Promise.resolve();
  };
}

async function serve(spec: RouteSpec<any, any, any>, rawParams: Record<string, string>, req: IncomingMessage, res: ServerResponse, path: string, deps: DeviceRouterDeps): Promise<void> {
  const end = deps.metrics.requests.startTimer({ method: req.method });
  let status = 500;
  let entered = false;
  try {
    deps.shedder.enter();
    entered = true;
    const computer = await deps.auth.device(req);
    const { params, body } = await validateInput(spec, req, rawParams, undefined);
    const result = await spec.handler(new DeviceRouteInput(params, body, computer, req.socket.remoteAddress ?? ''));
    // As Koa does: a 200 route with nothing to say answers 204.
    status = spec.status ?? (result === undefined || result === null ? 204 : 200);
    send(res, status, status === 204 ? undefined : result);
  } catch (err) {
    const answer = errorAnswer(err, deps.logger, { method: req.method ?? '', path, aborted: req.destroyed && !req.complete });
    status = answer.status;
    if (!res.headersSent) send(res, status, answer.body, answer.headers);
    else res.destroy();
  } finally {
    if (entered) deps.shedder.leave();
    end({ route: spec.path, status: String(status) });
  }
}

/** A device route handler's input: no admin user, no node, no query, and no Koa context (reading it throws). */
class DeviceRouteInput implements RouteInput<unknown, unknown, unknown> {
  readonly query = undefined;
  readonly user = undefined;
  readonly node = undefined;
  constructor(readonly params: unknown, readonly body: unknown, readonly computer: ComputerRow, readonly ip: string) {}
  get ctx(): never { throw new StateError('NO_KOA_CONTEXT', 'device JSON routes are served without Koa: use the handler input'); }
}

function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...API_HEADERS, ...extra };
  if (body === undefined) { res.writeHead(status, headers).end(); return; }
  const json = JSON.stringify(body);
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(json));
  res.writeHead(status, headers).end(json);
}

function safeDecode(segment: string): string {
  try { return decodeURIComponent(segment); } catch { return segment; }
}
