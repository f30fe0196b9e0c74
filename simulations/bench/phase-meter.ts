import { machineBusySeconds, threadCpuSeconds, totalCpuSeconds } from './proc-cpu.js';

/** CPU use over one measured phase. */
export interface PhaseUsage {
  wallSeconds: number;
  /** CPU seconds of the server's processes. */
  serverCpuSeconds: number;
  /** CPU seconds of the server's main thread when it is a single process (the event loop), else undefined. */
  serverMainThreadCpuSeconds?: number;
  /** Cores kept busy by everything else on the machine (other than the server and this bench process). */
  otherCores: number;
}

/**
 * Reads CPU counters at start and at `stop()`: the server's processes, its main thread, this
 * process (the load generator), and the whole machine — so noise from other work shows up.
 */
export class PhaseMeter {
  private readonly pids: number[];
  private readonly started = process.hrtime.bigint();
  private readonly server: number;
  private readonly main: number;
  private readonly self = process.cpuUsage();
  private readonly machine = machineBusySeconds();

  constructor(serverPids: number[]) {
    this.pids = serverPids;
    this.server = totalCpuSeconds(serverPids);
    this.main = serverPids.length === 1 ? threadCpuSeconds(serverPids[0]!) : 0;
  }

  /** Ends the phase. */
  stop(): PhaseUsage {
    const wallSeconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    const serverCpuSeconds = totalCpuSeconds(this.pids) - this.server;
    const self = process.cpuUsage(this.self);
    const other = machineBusySeconds() - this.machine - serverCpuSeconds - (self.user + self.system) / 1e6;
    return {
      wallSeconds, serverCpuSeconds,
      ...(this.pids.length === 1 ? { serverMainThreadCpuSeconds: threadCpuSeconds(this.pids[0]!) - this.main } : {}),
      otherCores: Math.max(0, other / wallSeconds),
    };
  }
}
