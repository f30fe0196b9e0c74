import type { Clock } from '../shared/clock.js';

/** Answers "is this device certificate current?" (the coordinator knows revocations). */
export type DeviceCertificateCheck = (uuid: string, serial: string, signal?: AbortSignal) => Promise<boolean>;

/**
 * Per-certificate revocation checks cached for `ttlMs`, so a busy node asks the coordinator about
 * each device at most once per TTL and a revocation takes effect within it. Unknown answers (the
 * coordinator unreachable) are not cached and refuse the request.
 */
export class DeviceCertificateCache {
  private readonly cache = new Map<string, { active: boolean; at: number }>();

  constructor(private readonly check: DeviceCertificateCheck, private readonly clock: Clock, private readonly ttlMs: number) {}

  async isActive(uuid: string, serial: string, signal?: AbortSignal): Promise<boolean> {
    const key = `${uuid}/${serial}`;
    const hit = this.cache.get(key);
    if (hit && this.clock.now() - hit.at < this.ttlMs) return hit.active;
    let active: boolean;
    try { active = await this.check(uuid, serial, signal); } catch { return false; }
    this.cache.set(key, { active, at: this.clock.now() });
    if (this.cache.size > 100_000) this.cache.delete(this.cache.keys().next().value!);
    return active;
  }
}
