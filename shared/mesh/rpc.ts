import type { Libp2p, PeerId, Stream } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { pipe } from 'it-pipe';
import { MeshError } from './errors.js';
import { decodeFrames, encodeFrame } from './frames.js';

/** Answers one request frame with one response frame. */
export type RequestHandler = (request: Uint8Array, from: PeerId) => Promise<Uint8Array>;

/** Where to send a request: a connected peer or an address carrying `/p2p/<id>`. */
export type MeshTarget = PeerId | Multiaddr;

const DEFAULT_TIMEOUT_MS = 30_000;

async function firstFrame(stream: AsyncIterable<Uint8Array | { subarray(): Uint8Array }>, maxBytes: number): Promise<Uint8Array | undefined> {
  return pipe(stream, decodeFrames(maxBytes), async (frames) => {
    for await (const frame of frames) return frame;
    return undefined;
  });
}

async function sendFrame(stream: Stream, body: Uint8Array, signal?: AbortSignal): Promise<void> {
  if (!stream.send(encodeFrame(body))) await stream.onDrain({ signal });
}

/** Registers a request/response protocol: each inbound stream carries one request frame and gets one response frame. */
export async function handleRequests(host: Libp2p, protocol: string, maxRequestBytes: number, handler: RequestHandler, maxInboundStreams = 64): Promise<void> {
  await host.handle(protocol, async (stream, connection) => {
    try {
      const request = await firstFrame(stream, maxRequestBytes);
      if (!request) throw new MeshError('MESH_FRAME_INVALID', 'stream closed before a request frame');
      await sendFrame(stream, await handler(request, connection.remotePeer));
      await stream.close();
    } catch (err) {
      stream.abort(err as Error);
    }
  }, { maxInboundStreams, maxOutboundStreams: maxInboundStreams });
}

/**
 * Registers a one-way message protocol: each inbound stream carries any number of frames (a peer keeps one
 * open instead of a stream per message), handed to `handler` in order; a bad frame ends the stream.
 */
export async function handleMessages(host: Libp2p, protocol: string, maxFrameBytes: number, handler: (frame: Uint8Array, from: PeerId) => void, maxInboundStreams = 8): Promise<void> {
  await host.handle(protocol, async (stream, connection) => {
    try {
      await pipe(stream, decodeFrames(maxFrameBytes), async (frames) => {
        for await (const frame of frames) handler(frame, connection.remotePeer);
      });
      await stream.close();
    } catch (err) {
      stream.abort(err as Error);
    }
  }, { maxInboundStreams, maxOutboundStreams: maxInboundStreams });
}

/** Passes a stream's pieces through, calling `onPiece` for each (to see that bytes keep coming). */
async function* watched<T>(source: AsyncIterable<T>, onPiece: () => void): AsyncGenerator<T> {
  for await (const piece of source) {
    onPiece();
    yield piece;
  }
}

/**
 * Sends one request frame on a new stream and returns the response frame.
 * With `stallTimeoutMs` the exchange may take as long as bytes keep arriving, and is abandoned once
 * none have for that long (a large chunk from a slow or capped peer is not cut off; a stuck one is);
 * otherwise it must finish within `timeoutMs`.
 */
export async function sendRequest(
  host: Libp2p, target: MeshTarget, protocol: string, body: Uint8Array,
  opts: { signal?: AbortSignal; timeoutMs?: number; stallTimeoutMs?: number; maxResponseBytes: number },
): Promise<Uint8Array> {
  const stall = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const progress = () => {
    if (opts.stallTimeoutMs === undefined) return;
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(new MeshError('MESH_NO_RESPONSE', `${protocol}: no bytes for ${opts.stallTimeoutMs} ms`)), opts.stallTimeoutMs);
  };
  progress();
  const limit = opts.stallTimeoutMs === undefined ? AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) : stall.signal;
  const signal = AbortSignal.any([limit, ...(opts.signal ? [opts.signal] : [])]);
  try {
    const stream = await host.dialProtocol(target, protocol, { signal });
    const onAbort = () => stream.abort(new MeshError('MESH_NO_RESPONSE', `${protocol}: aborted (${String(signal.reason)})`));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await sendFrame(stream, body, signal);
      await stream.close({ signal });
      const response = await firstFrame(watched(stream, progress), opts.maxResponseBytes);
      if (!response) throw new MeshError('MESH_NO_RESPONSE', `${protocol}: the peer closed the stream without answering`);
      return response;
    } catch (err) {
      stream.abort(err as Error);
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  } catch (err) {
    if (signal.aborted && !(err instanceof MeshError)) throw new MeshError('MESH_NO_RESPONSE', `${protocol}: no answer (${String(signal.reason)})`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
