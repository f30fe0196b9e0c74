import { describe, expect, it } from 'vitest';
import { checkCapacity } from '../../../simulations/bench/mesh/capacity.js';
import { DEFAULT_MBIT, parseMeshBenchOptions } from '../../../simulations/bench/mesh/options.js';
import { broadcastLowerBoundMs } from '../../../simulations/bench/mesh/report.js';

const MB = 1e6;

describe('bench:mesh building blocks', () => {
  it('parses flags with defaults and refuses bad values', () => {
    expect(parseMeshBenchOptions([])).toMatchObject({ mib: 256, nodes: 8, mbit: DEFAULT_MBIT, hub: true, hubMib: undefined });
    expect(parseMeshBenchOptions(['--mbit', '100', '--hub-mib', '64'])).toMatchObject({ mbit: 100, hubMib: 64 });
    expect(parseMeshBenchOptions(['--no-hub']).hub).toBe(false);
    expect(() => parseMeshBenchOptions(['--hub-mib', '0'])).toThrow(/hub-mib/);
    expect(() => parseMeshBenchOptions(['--mbit', 'fast'])).toThrow(/mbit/);
  });

  it('compares the demand of the caps with the capacity measured in the run', () => {
    const lowerBoundMs = broadcastLowerBoundMs(256 * MB, 12.5 * MB, 8, 256);
    const run = { nodes: 8, cores: 2, libp2pBytesPerSecond: 150 * MB, deliveredBytes: 8 * 256 * MB, lowerBoundMs };
    const busy = checkCapacity({ ...run, uploadBytesPerSecond: 12.5 * MB, meshCpuSeconds: 80, machineBusyCores: 1.9 });
    expect(busy.demandBytesPerSecond).toBe(112.5 * MB);
    expect(busy.streamCapacityBytesPerSecond).toBe(300 * MB);
    expect(busy.meshCapacityBytesPerSecond).toBeCloseTo(51.2 * MB);
    // 2048 MB within the bound (~21 s) at 39 CPU-ms per MB: about 3.8 cores.
    expect(busy.coresAtBound).toBeCloseTo(2048 * 0.0390625 / (lowerBoundMs / 1000));
    expect(busy.cpuBound).toBe(true);
    expect(checkCapacity({ ...run, uploadBytesPerSecond: 3 * MB, meshCpuSeconds: 160, machineBusyCores: 1.4 }).cpuBound).toBe(false);
  });
});
