import { createHash } from 'node:crypto';
import { verifiedBundle } from '../../agent/checkin.js';
import { CoordinatorClient } from '../../agent/coordinator-client.js';
import { ChainChunkSource, type SourceBytes } from '../../agent/packages/chain-chunk-source.js';
import { createSourceFetcher, SourceFailedError, type FetchFrom } from '../../agent/packages/source-fetcher.js';
import { verifyManifest } from '../../shared/content/manifest.js';
import type { Logger } from '../../shared/logger.js';
import type { DistributionSource } from '../../shared/schemas/segment.js';
import type { FleetTrust, VirtualAgent } from './virtual-fleet.js';

/** Live observations of the agents' downloads (for progress, completion over time and failover counts). */
export interface DownloadTap {
  bytes(agent: VirtualAgent, source: DistributionSource, bytes: number): void;
  sourceFailed(agent: VirtualAgent, source: DistributionSource, message: string): void;
}

/** How one virtual agent's rollout ended. */
export interface AgentOutcome {
  index: number;
  building: number;
  /** The payload digest the agent computed over the chunks it assembled (undefined when it failed before). */
  digest?: string;
  expectedDigest?: string;
  ok: boolean;
  error?: string;
  sources: SourceBytes[];
  startedMs: number;
  /** When the bundle and manifest were verified (check-in done), and when the last chunk arrived. */
  checkedInMs?: number;
  downloadedMs?: number;
  finishedMs: number;
}

/** What every agent of a rollout shares. */
export interface RolloutAgentContext {
  coordinatorUrl: string;
  packageId: number;
  trust: FleetTrust;
  /** Chunks requested at once per agent (the real agent uses 4). */
  chunksInFlight: number;
  tap: DownloadTap;
  logger: Logger;
  /** Milliseconds since the rollout began. */
  elapsed(): number;
}

/** Wraps a fetcher so the tap sees every byte and every failed source, attributed to the chain entry asked. */
function tapped(fetch: FetchFrom, agent: VirtualAgent, chain: readonly DistributionSource[], tap: DownloadTap): FetchFrom {
  const sourceOf = (url: string) => chain.find((s) => url.startsWith(new URL(s.chunkPath, s.baseUrl).href)) ?? chain[chain.length - 1]!;
  return async (url, from, maxBytes, onPart, signal) => {
    const source = sourceOf(url);
    try {
      await fetch(url, from, maxBytes, (part) => { tap.bytes(agent, source, part.length); onPart(part); }, signal);
    } catch (err) {
      if (err instanceof SourceFailedError) tap.sourceFailed(agent, source, err.message);
      throw err;
    }
  };
}

/**
 * One virtual agent's part of a rollout, through the real agent code: a check-in bound to its building's
 * address (the coordinator places it in a segment and hands out that segment's chain), the signed bundle
 * and manifest verified, every chunk fetched over the chain with failover and verified, the payload digest
 * computed over the chunks in order (streamed into a hash, never written to disk), and the bytes per
 * source reported to the coordinator as a real agent does.
 */
export async function rollOutToAgent(agent: VirtualAgent, ctx: RolloutAgentContext): Promise<AgentOutcome> {
  const startedMs = ctx.elapsed();
  const tls = { ca: ctx.trust.caPem, cert: agent.certPem, key: ctx.trust.keyPem };
  const client = new CoordinatorClient([ctx.coordinatorUrl], tls, { localAddress: agent.address, timeoutMs: 60_000 });
  const fetcher = createSourceFetcher({ ...tls, localAddress: agent.address });
  const outcome = (fields: Partial<AgentOutcome>): AgentOutcome => ({
    index: agent.index, building: agent.building, ok: false, sources: [], startedMs, finishedMs: ctx.elapsed(), ...fields,
  });
  try {
    const answer = await client.checkin(agent.computerId, 'checkin', undefined);
    if (answer.status !== 'modified') throw new Error(`first check-in answered ${answer.status}`);
    const bundle = verifiedBundle(answer, ctx.trust.onlineKey, agent.uuid);
    const scoped = bundle.policies.some((p) => p.payloads.some((x) => x.type === 'package' && x.packageId === ctx.packageId));
    if (!scoped) throw new Error(`no policy in the bundle installs package ${ctx.packageId}`);
    const manifest = verifyManifest(await client.packageManifest(ctx.packageId), ctx.trust.packageKey);
    const checkedInMs = ctx.elapsed();
    const chain = bundle.distribution;
    const source = new ChainChunkSource({ chain: () => chain, fetch: tapped(fetcher.fetch, agent, chain, ctx.tap), now: Date.now, logger: ctx.logger });
    const payload = createHash('sha256');
    const pending: Promise<Uint8Array>[] = [];
    const request = (i: number) => {
      const p = source.fetch(manifest.chunks[i]!);
      p.catch(() => undefined); // awaited in order below; this only keeps a later chunk's failure from being "unhandled" meanwhile
      pending[i] = p;
    };
    for (let i = 0; i < Math.min(ctx.chunksInFlight, manifest.chunks.length); i++) request(i);
    for (let i = 0; i < manifest.chunks.length; i++) {
      payload.update(await pending[i]!);
      delete pending[i];
      if (i + ctx.chunksInFlight < manifest.chunks.length) request(i + ctx.chunksInFlight);
    }
    const digest = `sha256:${payload.digest('hex')}`;
    const downloadedMs = ctx.elapsed();
    const sources = source.takeReceived();
    await client.reportDownload(agent.computerId, { packageId: ctx.packageId, sources });
    return outcome({ ok: digest === manifest.payload.digest, digest, expectedDigest: manifest.payload.digest, sources, checkedInMs, downloadedMs, finishedMs: ctx.elapsed() });
  } catch (err) {
    return outcome({ error: (err as Error).message });
  } finally {
    await Promise.all([fetcher.close(), client.close()]).catch(() => undefined);
  }
}
