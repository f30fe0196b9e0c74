import type { Context } from 'koa';
import { ChunkBuffers } from '../../shared/content/chunk-buffers.js';
import type { ChunkStore } from '../../shared/content/chunk-store.js';
import type { Digest } from '../../shared/digest.js';
import { AppError, NotFoundError } from '../../shared/errors.js';
import { IdParam, PageQuery } from '../../shared/schemas/common.js';
import { SignedManifest } from '../../shared/content/manifest.js';
import { ChunkParam, PackageDetail, PackageList, PackageStorage, PackageSummary } from '../../shared/schemas/package.js';
import { route } from '../http/define-route.js';
import { PACKAGE_CONTENT_TYPE } from '../pkg/media-type.js';
import type { PackageService } from '../packages/package-service.js';


/** Chunks never change under their digest. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The Range header cannot be served. */
class RangeNotSatisfiableError extends AppError {
  constructor(message: string) { super('RANGE_NOT_SATISFIABLE', message, 416); }
}

/** Admin package upload, list, detail and delete; device manifest and chunk downloads from the origin store. */
export function packageRoutes(packages: PackageService, origin: ChunkStore) {
  // Whole chunks are read into reused buffers: a fresh one per request costs page faults and garbage collections.
  const buffers = new ChunkBuffers();
  const base = '/api/v1/packages';
  const tag = 'packages';
  return [
    route({ method: 'get', path: base, access: 'read', tag, summary: 'List packages', query: PageQuery, response: PackageList, handler: ({ query }) => packages.list(query.page, query.perPage) }),
    route({
      method: 'get', path: `${base}/storage`, access: 'read', tag, summary: 'Payload bytes of all packages against the bytes the origin stores (chunk dedup)',
      response: PackageStorage,
      handler: async () => {
        const [totals, stored] = await Promise.all([packages.logicalTotals(), origin.stats()]);
        return { ...totals, storedBytes: stored.bytes, storedChunks: stored.chunks };
      },
    }),
    route({ method: 'get', path: `${base}/:id`, access: 'read', tag, summary: 'One package with its signed manifest', params: IdParam, response: PackageDetail, handler: ({ params }) => packages.get(params.id) }),
    route({
      method: 'post', path: base, access: 'write', tag, summary: 'Upload a package file (streamed; chunks verified and stored once)',
      stream: { request: PACKAGE_CONTENT_TYPE }, response: PackageSummary, status: 201,
      handler: ({ ctx, user }) => {
        const declared = ctx.get('content-length');
        const aborted = new AbortController();
        ctx.req.once('close', () => { if (!ctx.req.complete) aborted.abort(); });
        return packages.upload(ctx.req, user!.username, declared ? Number(declared) : undefined, aborted.signal);
      },
    }),
    route({ method: 'delete', path: `${base}/:id`, access: 'write', tag, summary: 'Delete a package no policy uses', params: IdParam, status: 204, handler: ({ params }) => packages.remove(params.id) }),
    route({ method: 'get', path: '/device/v1/packages/:id/manifest', access: 'device', tag, summary: 'A package\'s signed manifest', params: IdParam, response: SignedManifest, handler: ({ params }) => packages.signedManifest(params.id) }),
    route({
      method: 'get', path: '/device/v1/chunks/:digest', access: 'device', tag, summary: 'A chunk\'s bytes (single Range supported, immutable)',
      params: ChunkParam, stream: { response: 'application/octet-stream' },
      handler: ({ ctx, params }) => sendChunk(ctx, origin, buffers, params.digest as Digest),
    }),
  ];
}

async function sendChunk(ctx: Context, origin: ChunkStore, buffers: ChunkBuffers, digest: Digest): Promise<void> {
  const header = ctx.get('range');
  const range = header ? parseRange(header) : undefined;
  // A whole chunk is verified by the store on its first read after start and whenever its file changed since (a
  // corrupt one is dropped and answers 404); a range is served as stored. Devices verify every chunk they receive.
  const bytes = range ? await origin.readRange(digest, range.start, range.length) : await origin.get(digest, buffers);
  if (!bytes) throw new NotFoundError(`chunk ${digest}`);
  // The buffer is reused once the response is done with it: sent in full, or its connection gone.
  ctx.res.once('close', () => buffers.release(bytes));
  if (range && bytes.length === 0) throw new RangeNotSatisfiableError(`range ${header} starts past the chunk's end`);
  ctx.set('Cache-Control', IMMUTABLE);
  ctx.set('ETag', `"${digest}"`);
  ctx.set('Accept-Ranges', 'bytes');
  ctx.type = 'application/octet-stream';
  ctx.status = range ? 206 : 200;
  if (range) ctx.set('Content-Range', `bytes ${range.start}-${range.start + bytes.length - 1}/*`);
  ctx.body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

// One `bytes=a-b` or `bytes=a-` range.
function parseRange(header: string): { start: number; length: number } {
  const m = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header.trim());
  if (!m || (m[2] !== '' && Number(m[2]) < Number(m[1]))) throw new RangeNotSatisfiableError(`unsupported Range "${header}": use one bytes=a-b or bytes=a- range`);
  const start = Number(m[1]);
  return { start, length: m[2] === '' ? Number.MAX_SAFE_INTEGER : Number(m[2]) - start + 1 };
}
