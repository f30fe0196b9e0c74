import { parseArgs } from 'node:util';

/** Which measurements a run makes. */
export type PackagePhase = 'chunking' | 'download' | 'delta';
const PHASES: readonly PackagePhase[] = ['chunking', 'download', 'delta'];

/** Settings of one `bench:package` run. */
export interface PackageBenchOptions {
  /** Payload size in MiB (the figure is 256). */
  mib: number;
  /** Timed repetitions per measurement; the best of each side is compared. */
  runs: number;
  /** Share of the payload changed for the delta measurement, in percent. */
  changePercent: number;
  phases: PackagePhase[];
  /** Writes a V8 CPU profile of the coordinator here when it stops. */
  cpuProfileDir?: string;
  json: boolean;
  help: boolean;
}

/** `--help` text. */
export const USAGE = `Usage: npm run bench:package -- [options]
       (with --json: npm run --silent bench:package -- --json)

Measures the package pipeline against baselines run in the same process, and prints each ratio with its
target and PASS/FAIL:

  chunking  chunk + hash a payload file as \`homing pkg build\` does (FastCDC on this thread, SHA-256 of every
            chunk and of the whole payload on worker threads) beside \`sha256sum\` of the same file.
            Target: ≥ 0.7× sha256sum's throughput. \`openssl dgst -sha256\` and a whole \`pkg build\` are shown
            for information.
  download  a real coordinator (child process) holds the package in its origin store; the agent's own
            download + verify path (device certificate over mTLS, 4 chunks in flight, every chunk and the whole
            payload verified by SHA-256 on a worker thread, chunks stored with fsync) fetches it, beside \`curl\` (client certificate) of the
            same file from nginx over HTTPS with \`ssl_verify_client on\`, then \`sha256sum\` of what curl wrote.
            Target: ≥ 0.8× the baseline's throughput.
  delta     changes --change-percent of the payload in one place, builds and uploads the new version and lets
            the agent update its cache. Target: the upload adds and the agent fetches ≤ 5% of the payload.

Options:
  --mib N              payload size in MiB (default 256; e.g. --mib 32 for a quick run)
  --runs N             timed repetitions per measurement, best taken (default 3)
  --change-percent P   share of the payload changed for the delta measurement (default 1)
  --only LIST          comma-separated phases: chunking,download,delta (default all; delta needs download's setup
                       and runs it untimed when download is left out)
  --cpu-prof DIR       write a V8 CPU profile of the coordinator into DIR (summarise it with
                       npx tsx simulations/bench/profile-summary.ts FILE)
  --json               machine-readable results on stdout
  --help               this text

Needs sha256sum, openssl, curl and nginx (apt-get install -y nginx curl) for the baselines. The machine's load
average is printed with the results: other processes on the same cores make every figure rough.
`;

function number(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** Parses the command line; throws on bad values. */
export function parsePackageBenchOptions(argv: string[]): PackageBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      mib: { type: 'string' }, runs: { type: 'string' }, 'change-percent': { type: 'string' }, only: { type: 'string' }, 'cpu-prof': { type: 'string' },
      json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const phases = (values.only ?? PHASES.join(',')).split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = phases.filter((p) => !PHASES.includes(p as PackagePhase));
  if (unknown.length || !phases.length) throw new Error(`--only takes chunking, download and/or delta, got "${values.only}"`);
  return {
    mib: Math.round(number('mib', values.mib, 256, 8, 16384)),
    runs: Math.round(number('runs', values.runs, 3, 1, 100)),
    changePercent: number('change-percent', values['change-percent'], 1, 0.01, 50),
    phases: phases as PackagePhase[],
    ...(values['cpu-prof'] ? { cpuProfileDir: values['cpu-prof'] } : {}),
    json: values.json ?? false,
    help: values.help ?? false,
  };
}
