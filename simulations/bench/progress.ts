import cliProgress from 'cli-progress';

/** A progress indicator for one bench phase. */
export interface Progress { update(done: number): void; stop(): void }

/** Writes one progress line to stderr (stdout stays clean for the table or `--json`). */
export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** A cli-progress bar on a TTY stderr; elsewhere a line at start and end. */
export function progress(label: string, total: number, unit: string): Progress {
  if (!process.stderr.isTTY) {
    log(`${label}: ${total} ${unit}…`);
    return { update() {}, stop() {} };
  }
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: `[bench] ${label.padEnd(44)} {bar} {value}/{total} ${unit}`,
    hideCursor: true,
    clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return { update: (done) => bar.update(Math.min(done, total)), stop: () => bar.stop() };
}
