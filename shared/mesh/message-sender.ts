import type { Libp2p, PeerId, Stream } from '@libp2p/interface';
import { encodeFrame } from './frames.js';

/**
 * One-way messages over one long-lived stream per peer (opening a libp2p stream costs a protocol
 * negotiation and peer-store writes on both sides, far more than a small frame). Messages to a peer go out
 * in order; a message queued while an earlier one is being written replaces a queued one with the same
 * key (each carries the full state it describes, so only the latest matters). Delivery is best effort: a
 * failed stream is dropped with what was queued for it, and the next message opens a new one.
 */
export class MessageSender {
  private readonly streams = new Map<string, Stream>();
  private readonly queued = new Map<string, Map<string, Uint8Array>>();
  private readonly writing = new Set<string>();

  constructor(private readonly host: Libp2p, private readonly protocol: string, private readonly timeoutMs = 5_000) {}

  /** Queues `body` for the peer (replacing a queued message with the same `key`) and starts writing if idle. */
  send(peer: PeerId, key: string, body: Uint8Array, signal: AbortSignal): void {
    const id = peer.toString();
    const queue = this.queued.get(id) ?? new Map<string, Uint8Array>();
    queue.set(key, body);
    this.queued.set(id, queue);
    if (!this.writing.has(id)) void this.write(peer, id, signal);
  }

  private async write(peer: PeerId, id: string, signal: AbortSignal): Promise<void> {
    this.writing.add(id);
    try {
      for (let queue = this.queued.get(id); queue?.size && !signal.aborted; queue = this.queued.get(id)) {
        this.queued.delete(id);
        const limit = AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]);
        try {
          const stream = await this.open(peer, id, limit);
          for (const body of queue.values()) if (!stream.send(encodeFrame(body))) await stream.onDrain({ signal: limit });
        } catch (err) {
          this.streams.get(id)?.abort(err as Error);
          this.streams.delete(id);
        }
      }
    } finally {
      this.writing.delete(id);
    }
  }

  private async open(peer: PeerId, id: string, signal: AbortSignal): Promise<Stream> {
    const open = this.streams.get(id);
    if (open?.status === 'open' && open.writeStatus === 'writable') return open;
    const stream = await this.host.dialProtocol(peer, this.protocol, { signal });
    this.streams.set(id, stream);
    return stream;
  }
}
