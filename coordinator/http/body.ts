import type { IncomingMessage } from 'node:http';
import { MalformedBodyError, PayloadTooLargeError } from '../../shared/errors.js';
import { safeJsonParse } from '../../shared/json.js';

/** Default cap for JSON request bodies. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Reads and parses a JSON request body, enforcing `limit` before buffering and refusing `__proto__` keys. */
export async function readJsonBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new MalformedBodyError('content-type must be application/json');
  const declared = Number(req.headers['content-length'] || 0);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  const text = req.complete ? readBuffered(req, limit) : await readStreamed(req, limit);
  if (text.length === 0) throw new MalformedBodyError('request body is empty');
  return safeJsonParse(text);
}

/**
 * The body Node's parser has already buffered whole (the usual case for a small body, which arrives with
 * its headers): read at once, without the listeners and flowing mode a stream read costs.
 */
function readBuffered(req: IncomingMessage, limit: number): string {
  const parts: Buffer[] = [];
  let size = 0;
  for (let chunk: Buffer | null = req.read(); chunk !== null; chunk = req.read()) {
    size += chunk.length;
    if (size > limit) throw new PayloadTooLargeError(limit);
    parts.push(chunk);
  }
  // Usually one piece: decoded where it lies.
  return (parts.length === 1 ? parts[0]! : Buffer.concat(parts, size)).toString('utf8');
}

/** A body still arriving: collected as it comes, refused once past `limit`, failed if the client leaves. */
function readStreamed(req: IncomingMessage, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  return new Promise<string>((resolve, reject) => {
    // The client may have gone while the caller was authenticating it: 'close' was then already emitted.
    if (req.destroyed) { reject(requestAborted()); return; }
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) { cleanup(); req.resume(); reject(new PayloadTooLargeError(limit)); return; }
      parts.push(chunk);
    };
    const onEnd = () => { cleanup(); resolve(Buffer.concat(parts, size).toString('utf8')); };
    const onError = (err: Error) => { cleanup(); reject(err); };
    const onClose = () => { if (!req.complete) { cleanup(); reject(requestAborted()); } };
    const cleanup = () => { req.off('data', onData); req.off('end', onEnd); req.off('error', onError); req.off('close', onClose); };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

function requestAborted(): Error {
  return Object.assign(new Error('the client closed the connection before sending the whole body'), { code: 'ECONNRESET' });
}
