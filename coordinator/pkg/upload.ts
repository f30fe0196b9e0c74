import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { RemoteError, ValidationError } from '../../shared/errors.js';
import type { PackageSummary } from '../../shared/schemas/package.js';
import { PACKAGE_CONTENT_TYPE } from './media-type.js';

/** Where and how `uploadPackage` sends a package file. */
export interface UploadOptions {
  file: string;
  coordinatorUrl: string;
  caPem: string;
  /** Admin bearer token. */
  token: string;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
}

/** Streams a package file to the coordinator, which verifies and stores it; returns the listed package. */
export async function uploadPackage(o: UploadOptions): Promise<PackageSummary> {
  const st = await stat(o.file).catch(() => undefined);
  if (!st?.isFile()) throw new ValidationError(`package file ${o.file} is not a readable file`);
  const agent = new Agent({ connect: { ca: o.caPem, rejectUnauthorized: true } });
  let sent = 0;
  const body = Readable.from((async function* () {
    for await (const block of createReadStream(o.file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
      sent += block.length;
      o.onProgress?.(sent, st.size);
      yield block;
    }
  })());
  try {
    const res = await request(new URL('/api/v1/packages', o.coordinatorUrl), {
      method: 'POST', dispatcher: agent, signal: o.signal, body,
      headers: { authorization: `Bearer ${o.token}`, 'content-type': PACKAGE_CONTENT_TYPE, 'content-length': String(st.size), accept: 'application/json' },
    });
    const text = await res.body.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (res.statusCode === 201) return parsed as PackageSummary;
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new RemoteError(error?.code ?? `HTTP_${res.statusCode}`, `upload refused: ${error?.message ?? `HTTP ${res.statusCode}`}`, res.statusCode, false);
  } finally {
    await agent.close();
  }
}
