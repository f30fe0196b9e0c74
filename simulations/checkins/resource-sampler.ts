import { machineBusySeconds, processCpuSeconds, processRssBytes } from '../bench/proc-cpu.js';

/** One sample: cores used since the previous one and resident memory, for the coordinator and this process. */
export interface ResourceSample {
  t: number; coordinatorCores: number | null; coordinatorRssMiB: number | null; simCores: number; simRssMiB: number;
  /** Cores busy with other processes on the machine (noise). */
  otherCores: number;
}

const MiB = 1024 * 1024;

/**
 * Samples the coordinator process (from /proc, when its pid is known), this simulation process and
 * the rest of the machine once a second: CPU cores used over the last second and resident memory.
 */
export class ResourceSampler {
  readonly samples: ResourceSample[] = [];
  private timer?: NodeJS.Timeout;
  private lastWall = performance.now();
  private lastCoordinator: number;
  private lastSelf = process.cpuUsage();
  private lastMachine = machineBusySeconds();

  constructor(private readonly coordinatorPid: number | undefined, private readonly elapsed: () => number) {
    this.lastCoordinator = coordinatorPid ? processCpuSeconds(coordinatorPid) : 0;
  }

  /** The coordinator's CPU seconds so far (0 without a pid). */
  coordinatorCpuSeconds(): number {
    return this.coordinatorPid ? processCpuSeconds(this.coordinatorPid) : 0;
  }

  start(): void {
    this.lastWall = performance.now();
    this.lastCoordinator = this.coordinatorCpuSeconds();
    this.lastSelf = process.cpuUsage();
    this.lastMachine = machineBusySeconds();
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private sample(): void {
    const wall = (performance.now() - this.lastWall) / 1000;
    this.lastWall = performance.now();
    const cpu = this.coordinatorCpuSeconds();
    const self = process.cpuUsage(this.lastSelf);
    this.lastSelf = process.cpuUsage();
    const machine = machineBusySeconds();
    const coordinatorCpu = this.coordinatorPid ? cpu - this.lastCoordinator : 0;
    const selfCpu = (self.user + self.system) / 1e6;
    this.samples.push({
      t: Math.round(this.elapsed()),
      coordinatorCores: this.coordinatorPid ? coordinatorCpu / wall : null,
      coordinatorRssMiB: this.coordinatorPid ? processRssBytes(this.coordinatorPid) / MiB : null,
      simCores: selfCpu / wall,
      simRssMiB: process.memoryUsage.rss() / MiB,
      otherCores: Math.max(0, (machine - this.lastMachine - coordinatorCpu - selfCpu) / wall),
    });
    this.lastCoordinator = cpu;
    this.lastMachine = machine;
  }
}
