/**
 * Whether this machine could carry the traffic the caps ask for. bench:mesh emulates a bandwidth-limited
 * network: N + 1 processes on one machine each send at the cap through noise + yamux. Where that exceeds
 * what the machine's cores can encrypt and multiplex, the makespan measures CPU contention, not the protocol.
 */

/** A run whose machine was busier than this (share of all cores, every process and the kernel) was paced by the CPU. */
export const CPU_BOUND_BUSY = 0.85;

/** Demand and capacity of one run, bytes per second. */
export interface CapacityCheck {
  /** (N + 1)·u: every node and the origin sending at the cap through noise + yamux. */
  demandBytesPerSecond: number;
  /** Cores × single-stream libp2p throughput (one core runs both ends: encryption, multiplexing, decryption). */
  streamCapacityBytesPerSecond: number;
  /** CPU seconds the coordinator and nodes spent per byte they delivered (crypto, muxing, verification, disk, scheduling). */
  meshCpuSecondsPerByte: number;
  /** Cores ÷ that cost: the most the mesh could deliver per second on this machine with nothing else running. */
  meshCapacityBytesPerSecond: number;
  /** Cores the mesh would need, at that cost, to deliver every copy within the lower bound. */
  coresAtBound: number;
  /** Share of the machine's cores busy while replicating (every process and the kernel). */
  busyFraction: number;
  /** True when the machine, not the caps, set the pace (busy fraction ≥ CPU_BOUND_BUSY). */
  cpuBound: boolean;
}

/** What the check is computed from, all measured in the same run. */
export interface CapacityInput {
  nodes: number; cores: number; uploadBytesPerSecond: number; libp2pBytesPerSecond: number;
  /** N·F: the bytes the nodes stored. */
  deliveredBytes: number;
  meshCpuSeconds: number; machineBusyCores: number; lowerBoundMs: number;
}

/** Compares the demand of the caps with the capacity measured in this run. */
export function checkCapacity(i: CapacityInput): CapacityCheck {
  const meshCpuSecondsPerByte = i.meshCpuSeconds / i.deliveredBytes;
  const busyFraction = i.machineBusyCores / i.cores;
  return {
    demandBytesPerSecond: (i.nodes + 1) * i.uploadBytesPerSecond,
    streamCapacityBytesPerSecond: i.cores * i.libp2pBytesPerSecond,
    meshCpuSecondsPerByte,
    meshCapacityBytesPerSecond: i.cores / meshCpuSecondsPerByte,
    coresAtBound: (i.deliveredBytes / (i.lowerBoundMs / 1000)) * meshCpuSecondsPerByte,
    busyFraction,
    cpuBound: busyFraction >= CPU_BOUND_BUSY,
  };
}
