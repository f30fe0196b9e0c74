import { readFile } from 'node:fs/promises';
import si from 'systeminformation';

/** Reads `btime` (seconds since the epoch) from /proc/stat text. */
export function parseProcStatBootTime(text: string): number | undefined {
  const m = /^btime\s+(\d+)\s*$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Boot time in epoch milliseconds, whole seconds so it stays identical between reports. */
export async function collectBootTime(procStatPath = '/proc/stat'): Promise<number> {
  try {
    const btime = parseProcStatBootTime(await readFile(procStatPath, 'utf8'));
    if (btime !== undefined) return btime * 1000;
  } catch {
    // Not Linux (or /proc hidden): derive it from uptime below.
  }
  const t = si.time();
  const ms = Number(t.current) - Number(t.uptime) * 1000;
  // Uptime has jitter of a few ms; rounding keeps the value (and the section digest) stable.
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms / 1000) * 1000 : 0;
}
