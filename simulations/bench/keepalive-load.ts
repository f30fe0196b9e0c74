import autocannon from 'autocannon';
import { progress } from './progress.js';

/** One keep-alive load run: a fixed number of connections sending the same POST for a while. */
export interface KeepAliveLoad {
  url: string;
  path: string;
  body: string;
  tls: { ca: string; cert: string; key: string };
  connections: number;
  durationSeconds: number;
  label: string;
}

/** What a keep-alive run measured. */
export interface KeepAliveResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Server CPU time per answered request, µs (set by the caller that knows the server's pids). */
  serverCpuUsPerRequest?: number;
  /** Server CPU time over wall time: cores kept busy. */
  serverCores?: number;
  /** Main-thread (event loop) CPU per request, µs, for single-process servers. */
  serverMainThreadUsPerRequest?: number;
  /** Cores other processes kept busy meanwhile (noise). */
  otherCores?: number;
}

/**
 * Runs autocannon (in this process) with client certificates over keep-alive connections; counts
 * only 2xx answers towards the rate. autocannon's latency histogram has 1 ms resolution.
 */
export function runKeepAlive(load: KeepAliveLoad): Promise<KeepAliveResult> {
  const bar = progress(load.label, load.durationSeconds, 's');
  let seconds = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: new URL(load.path, load.url).toString(),
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: load.body,
      connections: load.connections,
      duration: load.durationSeconds,
      timeout: 10,
      tlsOptions: { ca: load.tls.ca, cert: load.tls.cert, key: load.tls.key },
    }, (err, result) => {
      bar.stop();
      if (err) { reject(err); return; }
      resolve({
        requestsPerSecond: result['2xx'] / result.duration,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        ok: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
      });
    });
    instance.on('tick', () => bar.update(++seconds));
  });
}
