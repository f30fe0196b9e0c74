import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p, PeerId } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChunkStore } from '../../../shared/content/memory-chunk-store.js';
import { sha256 } from '../../../shared/digest.js';
import { requestChunk, serveChunks } from '../../../shared/mesh/chunk-protocol.js';
import { Announcer, onAnnouncements, type HaveList } from '../../../shared/mesh/have-protocol.js';
import { meshAddresses, startMeshHost } from '../../../shared/mesh/mesh-host.js';
import { PeerAllowlist } from '../../../shared/mesh/peer-allowlist.js';
import { ANNOUNCE_PROTOCOL } from '../../../shared/mesh/protocols.js';
import { SendSlots } from '../../../shared/mesh/send-slots.js';

const list = (packageId: number, bits: string): HaveList => ({ packageId, count: 8, bits });

async function eventually(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('mesh announcements and chunk serving', () => {
  let server: Libp2p;
  let client: Libp2p;
  const stop = new AbortController();

  beforeAll(async () => {
    const [a, b] = [new PeerAllowlist(), new PeerAllowlist()];
    server = await startMeshHost({ privateKey: await generateKeyPair('Ed25519'), host: '127.0.0.1', port: 0, allowlist: a });
    client = await startMeshHost({ privateKey: await generateKeyPair('Ed25519'), host: '127.0.0.1', port: 0, allowlist: b });
    a.replace([client.peerId.toString()]);
    b.replace([server.peerId.toString()]);
    await client.dial(multiaddr(meshAddresses(server)[0]!));
  });
  afterAll(async () => {
    stop.abort();
    await client?.stop();
    await server?.stop();
  });

  it('delivers announcements in order over one long-lived stream, the latest of each package last', async () => {
    const received: { from: PeerId; list: HaveList }[] = [];
    await onAnnouncements(server, (from, l) => received.push({ from, list: l }));
    const announcer = new Announcer(client);
    const sent = [list(1, 'gA=='), list(2, 'AQ=='), list(1, 'wA=='), list(1, '4A==')];
    for (const l of sent) announcer.announce(server.peerId, l, stop.signal);
    await eventually(() => received.some((r) => r.list.packageId === 1 && r.list.bits === '4A==') && received.some((r) => r.list.packageId === 2));
    // Queued lists of a package may be replaced by newer ones, never reordered.
    const ones = received.filter((r) => r.list.packageId === 1).map((r) => r.list.bits);
    expect(ones.at(-1)).toBe('4A==');
    expect(ones).toEqual(['gA==', 'wA==', '4A=='].filter((b) => ones.includes(b)));
    expect(received.every((r) => r.from.equals(client.peerId))).toBe(true);

    announcer.announce(server.peerId, list(3, '/w=='), stop.signal);
    await eventually(() => received.some((r) => r.list.packageId === 3));
    const streams = client.getConnections(server.peerId).flatMap((c) => c.streams).filter((s) => s.protocol === ANNOUNCE_PROTOCOL);
    expect(streams).toHaveLength(1);
  });

  it('sends chunks at most `slots` at a time, all of them intact', async () => {
    const store = new MemoryChunkStore();
    const chunks = Array.from({ length: 6 }, (_, i) => new Uint8Array(300_000).fill(i + 1));
    for (const c of chunks) await store.put(sha256(c), c);
    let sending = 0;
    let most = 0;
    const slow = {
      get: async (digest: Parameters<MemoryChunkStore['get']>[0]) => {
        sending += 1;
        most = Math.max(most, sending);
        await new Promise((r) => setTimeout(r, 50));
        sending -= 1;
        return store.get(digest);
      },
    };
    await serveChunks(server, { store: slow, slots: new SendSlots(2) });
    const got = await Promise.all(chunks.map((c) => requestChunk(client, server.peerId, { digest: sha256(c), packageId: 1 })));
    expect(got.map((g) => Buffer.from(g).equals(Buffer.from(chunks[got.indexOf(g)]!)))).toEqual(chunks.map(() => true));
    expect(most).toBe(2);
  });
});

describe('SendSlots', () => {
  it('hands slots out in arrival order as they come back, each release counting once', async () => {
    const slots = new SendSlots(1);
    const first = await slots.acquire();
    const order: number[] = [];
    const second = slots.acquire().then((r) => { order.push(2); return r; });
    const third = slots.acquire().then((r) => { order.push(3); return r; });
    first();
    first();
    const release = await second;
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([2]);
    release();
    (await third)();
    expect(order).toEqual([2, 3]);
    expect(() => new SendSlots(0)).toThrow(RangeError);
  });

  it('lets a request that waited too long go ahead without a slot', async () => {
    const slots = new SendSlots(1, 50);
    const held = await slots.acquire();
    const started = Date.now();
    const late = await slots.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    late();
    held();
    // The slot given back is free again, once.
    (await slots.acquire())();
  });
});
