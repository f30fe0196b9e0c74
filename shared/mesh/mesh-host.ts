import { readFile } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { Libp2p, PrivateKey } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { atomicWriteFile } from '../fs/atomic-write.js';
import type { PeerAllowlist } from './peer-allowlist.js';

/** What a mesh host needs: its identity, where to listen, and who may connect. */
export interface MeshHostOptions {
  privateKey: PrivateKey;
  /** Listen address, e.g. `127.0.0.2`. */
  host: string;
  /** TCP port, 0 for any free one. */
  port: number;
  /** IP address to advertise instead of the listen address (e.g. listening on 0.0.0.0). */
  announceHost?: string;
  allowlist: PeerAllowlist;
}

/** Loads the Ed25519 libp2p identity stored at `path`, creating it on first start (a stable PeerId across restarts). */
export async function loadPeerKey(path: string): Promise<PrivateKey> {
  const existing = await readFile(path).catch((err: NodeJS.ErrnoException) => { if (err.code === 'ENOENT') return undefined; throw err; });
  if (existing) return privateKeyFromProtobuf(existing);
  const key = await generateKeyPair('Ed25519');
  await atomicWriteFile(path, privateKeyToProtobuf(key));
  return key;
}

/** Starts a libp2p host with TCP + noise + yamux, gated by the allowlist, with no discovery (peers come from the coordinator). */
export async function startMeshHost(opts: MeshHostOptions): Promise<Libp2p> {
  return createLibp2p({
    privateKey: opts.privateKey,
    addresses: {
      listen: [`/ip4/${opts.host}/tcp/${opts.port}`],
      ...(opts.announceHost ? { announceFilter: (addrs: Multiaddr[]) => withHost(addrs, opts.announceHost!) } : {}),
    },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: opts.allowlist.gater(),
    // A ping queued behind megabytes of chunks on a capped link is late, not lost: libp2p would cut the
    // connection (and every transfer on it) after its adaptive ping timeout. The mesh judges peers itself:
    // a chunk request ends after 30 s without a byte, a peer is redialled after unanswered have-list queries.
    connectionMonitor: { abortConnectionOnPingFailure: false },
  });
}

/** The addresses with their IP replaced by `host` (same ports, duplicates dropped). */
function withHost(addrs: Multiaddr[], host: string): Multiaddr[] {
  const proto = isIPv6(host) ? 'ip6' : 'ip4';
  const out = new Map<string, Multiaddr>();
  for (const a of addrs) {
    const text = a.toString().replace(/^\/ip[46]\/[^/]+/, `/${proto}/${host}`);
    out.set(text, multiaddr(text));
  }
  return [...out.values()];
}

/** The host's dialable addresses as strings ending in `/p2p/<PeerId>`. */
export function meshAddresses(host: Libp2p): string[] {
  return host.getMultiaddrs().map(String);
}
