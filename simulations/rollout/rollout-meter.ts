import type { DistributionSource } from '../../shared/schemas/segment.js';
import type { DownloadTap } from './rollout-agent.js';
import type { VirtualAgent } from './virtual-fleet.js';

/** Where an agent's bytes came from, seen from its building. */
export const SOURCE_CLASSES = ['own primary', 'own failover', 'other buildings', 'origin'] as const;
/** Where an agent's bytes came from, seen from its building. */
export type SourceClass = typeof SOURCE_CLASSES[number];

/** One sample of the rollout's progress. */
export interface ProgressSample { seconds: number; agentsDone: number; bytes: number; doneByBuilding: number[] }

/** One source failure an agent saw (it moved on down its chain). */
export interface FailoverEvent { seconds: number; agent: number; building: number; nodeId: number | null; message: string }

/**
 * Counts a rollout as it happens: bytes by source class per building, agents finished, source failures,
 * and a progress sample per second.
 */
export class RolloutMeter implements DownloadTap {
  readonly bytesByBuilding: Record<SourceClass, number>[];
  readonly failovers: FailoverEvent[] = [];
  readonly samples: ProgressSample[] = [];
  private readonly doneByBuilding: number[];
  private totalBytes = 0;
  private agentsDone = 0;

  constructor(private readonly buildings: readonly { primaryId: number; failoverId: number }[], private readonly elapsedMs: () => number) {
    this.bytesByBuilding = buildings.map(() => ({ 'own primary': 0, 'own failover': 0, 'other buildings': 0, origin: 0 }));
    this.doneByBuilding = buildings.map(() => 0);
  }

  /** The class of `source` for an agent of building `b`. */
  classify(b: number, source: Pick<DistributionSource, 'nodeId' | 'tier'>): SourceClass {
    if (source.nodeId === null) return 'origin';
    if (source.nodeId === this.buildings[b]!.primaryId) return 'own primary';
    if (source.nodeId === this.buildings[b]!.failoverId) return 'own failover';
    return 'other buildings';
  }

  bytes(agent: VirtualAgent, source: DistributionSource, bytes: number): void {
    this.bytesByBuilding[agent.building]![this.classify(agent.building, source)] += bytes;
    this.totalBytes += bytes;
  }

  sourceFailed(agent: VirtualAgent, source: DistributionSource, message: string): void {
    this.failovers.push({ seconds: this.elapsedMs() / 1000, agent: agent.index, building: agent.building, nodeId: source.nodeId, message });
  }

  /** Records that one agent of building `b` finished (either way). */
  agentDone(b: number): void {
    this.agentsDone++;
    this.doneByBuilding[b]!++;
  }

  /** Bytes all agents received so far. */
  bytesReceived(): number {
    return this.totalBytes;
  }

  /** Agents finished so far. */
  finished(): number {
    return this.agentsDone;
  }

  /** Takes a progress sample now. */
  sample(): void {
    this.samples.push({ seconds: this.elapsedMs() / 1000, agentsDone: this.agentsDone, bytes: this.totalBytes, doneByBuilding: [...this.doneByBuilding] });
  }
}
