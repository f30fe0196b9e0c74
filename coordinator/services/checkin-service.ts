import type { Clock } from '../../shared/clock.js';
import type { CheckinResponse } from '../../shared/schemas/checkin.js';
import type { ComputerRow } from '../db/models/computers.js';
import type { BundleBuilder } from './bundle-builder.js';
import type { CheckinRecorder } from './checkin-recorder.js';

/** Returns the computer with its segment decided from the address it checked in from. */
export type AssignSegment = (computer: ComputerRow, address: string) => Promise<ComputerRow>;

/** Answers device check-ins: not-modified when the agent's etag is current, else the signed bundle. */
export class CheckinService {
  constructor(
    private readonly bundles: BundleBuilder,
    private readonly recorder: CheckinRecorder,
    private readonly clock: Clock,
    private readonly inventoryIntervalSeconds: number,
    private readonly assignSegment: AssignSegment,
  ) {}

  async checkin(seen: ComputerRow, etag: string | undefined, ip: string): Promise<CheckinResponse> {
    const now = this.clock.now();
    this.recorder.record(seen.id, new Date(now), ip);
    const computer = await this.assignSegment(seen, ip);
    const signed = await this.bundles.forComputer(computer);
    const last = computer.lastInventoryAt ? new Date(computer.lastInventoryAt).getTime() : 0;
    const inventoryDue = now - last >= this.inventoryIntervalSeconds * 1000;
    const nextCheckinSeconds = computer.checkinIntervalSeconds;
    if (etag === signed.etag) return { status: 'not-modified', nextCheckinSeconds, inventoryDue };
    return { status: 'modified', nextCheckinSeconds, inventoryDue, ...signed };
  }
}
