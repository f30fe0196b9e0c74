import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { PackageRig } from './package-rig.js';

/** Target: a small change moves at most this share of the payload, on upload and on download. */
export const DELTA_TARGET = 0.05;

/** Bytes a changed version costs to upload and to download, as shares of its payload. */
export interface DeltaResult {
  changedBytes: number;
  payloadBytes: number;
  /** Bytes the origin did not hold before the new version's upload. */
  uploadNewBytes: number;
  /** Bytes the agent fetched to update its cache from the old version to the new one. */
  downloadBytes: number;
  downloadChunks: number;
  totalChunks: number;
  uploadShare: number;
  downloadShare: number;
  target: number;
  pass: boolean;
}

/** Overwrites `percent`% of a file with fresh random bytes in one place (at 40% of its length); returns the bytes changed. */
export async function changeInPlace(file: string, size: number, percent: number): Promise<number> {
  const length = Math.max(1, Math.floor((size * percent) / 100));
  const fh = await open(file, 'r+');
  try {
    await fh.write(randomBytes(length), 0, length, Math.floor(size * 0.4));
  } finally {
    await fh.close();
  }
  return length;
}

/**
 * Uploads a new version (built after `changeInPlace`) and lets the agent, whose cache holds the old version, fetch it.
 */
export async function measureDelta(rig: PackageRig, newPackageFile: string, changedBytes: number): Promise<DeltaResult> {
  const summary = await rig.upload(newPackageFile);
  const stats = await rig.agentFetch(summary.id);
  const uploadShare = summary.bytesNew / summary.size;
  const downloadShare = stats.fetchedBytes / summary.size;
  return {
    changedBytes, payloadBytes: summary.size, uploadNewBytes: summary.bytesNew, downloadBytes: stats.fetchedBytes,
    downloadChunks: stats.fetchedChunks, totalChunks: summary.chunkCount, uploadShare, downloadShare,
    target: DELTA_TARGET, pass: uploadShare <= DELTA_TARGET && downloadShare <= DELTA_TARGET,
  };
}
