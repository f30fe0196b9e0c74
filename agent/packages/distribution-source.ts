import type { ChunkHasher } from '../../shared/content/hash-workers.js';
import { ORIGIN_CHUNK_PATH, type DistributionSource } from '../../shared/schemas/segment.js';
import type { AgentRuntime } from '../runtime.js';
import { ChainChunkSource } from './chain-chunk-source.js';
import { createSourceFetcher, type FetchFrom, type SourceLimits } from './source-fetcher.js';

/**
 * The agent's chunk source over its bundle's distribution chain (the origin alone when the bundle has none),
 * fetching with the device certificate from the runtime's local address, and a reporter that sends the
 * bytes each source delivered for a package to the coordinator. `hasher` verifies received chunks (default: on this thread).
 */
export function createDistributionSource(rt: Omit<AgentRuntime, 'packages'>, opts: { limits?: SourceLimits; hasher?: ChunkHasher } = {}) {
  let fetcher: Promise<FetchFrom> | undefined;
  const fetch: FetchFrom = async (...args) => {
    fetcher ??= rt.store.loadIdentity().then((id) => createSourceFetcher({ ...id, localAddress: rt.localAddress }, opts.limits).fetch);
    return (await fetcher)(...args);
  };
  const chain = (): readonly DistributionSource[] => {
    const listed = rt.state.bundle?.distribution ?? [];
    return listed.length ? listed : rt.state.coordinatorUrls.map((baseUrl) => ({ nodeId: null, tier: 'origin' as const, baseUrl, chunkPath: ORIGIN_CHUNK_PATH, reason: 'origin' }));
  };
  const source = new ChainChunkSource({ chain, fetch, now: () => rt.clock.now(), logger: rt.logger, ...(opts.hasher ? { hasher: opts.hasher } : {}) });
  const report = (packageId: number) => {
    const sources = source.takeReceived();
    if (!sources.length) return;
    rt.client.reportDownload(rt.state.computerId, { packageId, sources }).catch((err: unknown) => rt.logger.warn({ err, packageId }, 'could not report download sources'));
  };
  return { source, report };
}
