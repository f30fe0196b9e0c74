import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector, request } from 'undici';
import { PhaseMeter } from './phase-meter.js';
import { progress } from './progress.js';
import type { ServerUnderTest } from './server-under-test.js';

/** A device identity making fresh connections: its certificate and the check-in it sends. */
export interface ConnectingDevice { certPem: string; keyPem: string; path: string; body: string }

/** One fresh-connection run: `count` connections, each carrying one check-in and then closed. */
export interface ConnectionLoad {
  server: ServerUnderTest;
  caPem: string;
  devices: ConnectingDevice[];
  count: number;
  concurrency: number;
  /** Keep TLS sessions between connections (as the agent's undici client does) or force full handshakes. */
  resume: boolean;
  label: string;
}

/** What a fresh-connection run measured. */
export interface ConnectionResult {
  connections: number;
  /** Connections whose TLS session was resumed (client's view). */
  resumed: number;
  failures: number;
  /** Server CPU time (all its processes) over the run divided by `connections`. */
  serverCpuMsPerConnection: number;
  wallSeconds: number;
  /** Cores other processes kept busy meanwhile (noise). */
  otherCores: number;
}

/** An undici Agent for one device that counts new TLS connections and resumed sessions. */
function deviceAgent(caPem: string, device: ConnectingDevice, resume: boolean, counts: { connects: number; resumed: number }): Agent {
  const base = buildConnector({ ca: caPem, cert: device.certPem, key: device.keyPem, rejectUnauthorized: true, maxCachedSessions: resume ? 16 : 0 });
  return new Agent({
    connect: (opts, callback) => base(opts, (err, socket) => {
      if (!err && socket) {
        counts.connects++;
        if ((socket as TLSSocket).isSessionReused?.()) counts.resumed++;
      }
      // undici's callback type is a union of (err, null) | (null, socket).
      (callback as (e: Error | null, s: typeof socket) => void)(err, socket);
    }),
  });
}

async function checkinOnce(agent: Agent, base: string, device: ConnectingDevice): Promise<boolean> {
  const res = await request(new URL(device.path, base), {
    method: 'POST', dispatcher: agent, reset: true,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: device.body,
  });
  await res.body.dump();
  return res.statusCode >= 200 && res.statusCode < 300;
}

/**
 * Opens `count` fresh TLS connections (a few at a time), one check-in each with `Connection: close`,
 * and divides the server's CPU time over the run by `count`. With `resume`, each device first primes
 * its session cache so every measured connection can resume.
 */
export async function runConnections(load: ConnectionLoad): Promise<ConnectionResult> {
  const counts = { connects: 0, resumed: 0 };
  const agents = load.devices.map((d) => deviceAgent(load.caPem, d, load.resume, counts));
  try {
    if (load.resume) for (let i = 0; i < agents.length; i++) await checkinOnce(agents[i]!, load.server.url, load.devices[i]!);
    counts.connects = 0;
    counts.resumed = 0;
    const bar = progress(load.label, load.count, 'connections');
    let next = 0;
    let done = 0;
    let failures = 0;
    const meter = new PhaseMeter(load.server.pids());
    await Promise.all(Array.from({ length: load.concurrency }, async (_, worker) => {
      const d = worker % agents.length;
      while (next < load.count) {
        next++;
        try {
          if (!(await checkinOnce(agents[d]!, load.server.url, load.devices[d]!))) failures++;
        } catch {
          failures++;
        }
        bar.update(++done);
      }
    }));
    const usage = meter.stop();
    bar.stop();
    return {
      connections: counts.connects, resumed: counts.resumed, failures, wallSeconds: usage.wallSeconds, otherCores: usage.otherCores,
      serverCpuMsPerConnection: (usage.serverCpuSeconds * 1000) / load.count,
    };
  } finally {
    await Promise.all(agents.map((a) => a.close()));
  }
}
