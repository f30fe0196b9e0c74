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
  const parts: Buffer[] = [];
  let size = 0;
  // Events, not an async iterator: a check-in body is one small chunk, and the iterator machinery cost more than the rest of the read.
  await new Promise<void>((resolve, reject) => {
    // The client may have gone while the caller was authenticating it: 'close' was then already emitted.
    if (req.destroyed) { reject(requestAborted()); return; }
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) { cleanup(); req.resume(); reject(new PayloadTooLargeError(limit)); return; }
      parts.push(chunk);
    };
    const onEnd = () => { cleanup(); resolve(); };
    const onError = (err: Error) => { cleanup(); reject(err); };
    const onClose = () => { if (!req.complete) { cleanup(); reject(requestAborted()); } };
    const cleanup = () => { req.off('data', onData); req.off('end', onEnd); req.off('error', onError); req.off('close', onClose); };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
  if (size === 0) throw new MalformedBodyError('request body is empty');
  return safeJsonParse(Buffer.concat(parts, size).toString('utf8'));
}

function requestAborted(): Error {
  return Object.assign(new Error('the client closed the connection before sending the whole body'), { code: 'ECONNRESET' });
}
