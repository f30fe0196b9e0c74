import { log } from './progress.js';
import { Resources } from './resources.js';

/** One `npm run bench:*` program: how it reads its options, runs, and prints. */
export interface BenchProgram<O extends { help: boolean; json: boolean }, R> {
  /** `bench:mesh`, … (prefix of error lines). */
  name: string;
  usage: string;
  /** Throws with a one-line reason on bad options. */
  parse(argv: string[]): O;
  /** Why this machine cannot run the bench, if it cannot. */
  unavailable?(): string | undefined;
  run(opts: O, resources: Resources): Promise<R>;
  format(report: R): string;
  /** False when a measured figure misses its target (exit code 1). */
  passed?(report: R): boolean;
}

const rounded = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v);

/**
 * The frame every bench shares: bad options print the reason and the usage and exit 2; `--help`
 * prints the usage; the run cleans up its processes, namespaces and temp dirs on the way out and on
 * Ctrl-C; the report is printed as a table or, with `--json`, as JSON; a missed target exits 1.
 */
export async function runBench<O extends { help: boolean; json: boolean }, R>(program: BenchProgram<O, R>, argv = process.argv.slice(2)): Promise<void> {
  let opts: O;
  try {
    opts = program.parse(argv);
  } catch (err) {
    process.stderr.write(`${program.name}: ${(err as Error).message}\n\n${program.usage}`);
    process.exitCode = 2;
    return;
  }
  if (opts.help) {
    process.stdout.write(program.usage);
    return;
  }
  const unavailable = program.unavailable?.();
  if (unavailable) {
    process.stderr.write(`${program.name}: ${unavailable}; skipping\n`);
    process.exitCode = 2;
    return;
  }
  const resources = new Resources();
  resources.installSignalHandlers(log);
  try {
    const report = await program.run(opts, resources);
    process.stdout.write(opts.json ? `${JSON.stringify(report, rounded, 2)}\n` : `\n${program.format(report)}\n`);
    if (program.passed && !program.passed(report)) process.exitCode = 1;
  } catch (err) {
    if (!resources.interrupted) process.stderr.write(`${program.name} failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  } finally {
    log('stopping processes and removing temp dirs');
    await resources.cleanup();
  }
}
