/** Minimal typings for the parts of autocannon 9 the bench uses (the package ships none). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';
  import type { ConnectionOptions } from 'node:tls';

  interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    timeout?: number;
    tlsOptions?: ConnectionOptions;
    servername?: string;
  }
  interface Summary { average: number; mean: number; stddev: number; min: number; max: number; p50: number; p90: number; p99: number; p99_9?: number; total: number; sent?: number }
  interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    latency: Summary;
    requests: Summary;
    statusCodeStats: Record<string, { count: number }>;
  }
  interface Instance extends EventEmitter { stop(): void }
  function autocannon(opts: Options, cb: (err: Error | null, result: Result) => void): Instance;
  export = autocannon;
}
