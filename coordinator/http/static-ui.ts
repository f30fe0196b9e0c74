import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

// Paths the UI never owns: unmatched ones there stay plain 404s instead of turning into the app shell.
const NOT_UI = /^\/(api|device|node)\/|^\/(metrics|healthz)$/;

/** Where the built UI is: `dist/ui` next to the compiled coordinator, or under the repo when running from source. */
export function locateUiDir(): string | undefined {
  const candidates = ['../../ui/', '../../dist/ui/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/**
 * Serves the single-page admin UI: hashed files under `/assets/` cached for a year, any other
 * GET that is not an API path answered with `index.html` (client-side routes).
 */
export function staticUi(dir: string | undefined): Middleware {
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || NOT_UI.test(ctx.path)) return next();
    if (!dir) {
      ctx.status = 503;
      ctx.type = 'text/plain';
      ctx.body = 'The web UI is not built: run `npm run build`.';
      return;
    }
    const file = resolveInside(dir, ctx.path);
    const isAsset = file !== undefined && ctx.path.startsWith('/assets/') && existsSync(file);
    const path = isAsset ? file : join(dir, 'index.html');
    if (ctx.path.startsWith('/assets/') && !isAsset) return next();
    ctx.type = TYPES[extname(path)] ?? 'application/octet-stream';
    if (isAsset) ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.body = await readFile(path);
  };
}

function resolveInside(dir: string, urlPath: string): string | undefined {
  let decoded: string;
  try { decoded = decodeURIComponent(urlPath); } catch { return undefined; }
  if (decoded.includes('\0')) return undefined;
  const full = normalize(join(dir, decoded));
  return full.startsWith(normalize(dir.endsWith(sep) ? dir : dir + sep)) ? full : undefined;
}
