import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p, PeerId } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Announcer, onAnnouncements, type HaveList } from '../../../shared/mesh/have-protocol.js';
import { meshAddresses, startMeshHost } from '../../../shared/mesh/mesh-host.js';
import { PeerAllowlist } from '../../../shared/mesh/peer-allowlist.js';
import { ANNOUNCE_PROTOCOL } from '../../../shared/mesh/protocols.js';

const list = (packageId: number, bits: string): HaveList => ({ packageId, count: 8, bits });

async function eventually(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('mesh announcements', () => {
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

  it('arrive in order over one long-lived stream, the latest of each package last', async () => {
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

  it('opens a new stream when the connection it used is gone', async () => {
    const received: HaveList[] = [];
    await server.unhandle(ANNOUNCE_PROTOCOL);
    await onAnnouncements(server, (_from, l) => received.push(l));
    const announcer = new Announcer(client);
    announcer.announce(server.peerId, list(4, 'gA=='), stop.signal);
    await eventually(() => received.some((l) => l.packageId === 4));
    await client.hangUp(server.peerId);
    await client.dial(multiaddr(meshAddresses(server)[0]!));
    announcer.announce(server.peerId, list(5, 'gA=='), stop.signal);
    await eventually(() => received.some((l) => l.packageId === 5));
  });
});
