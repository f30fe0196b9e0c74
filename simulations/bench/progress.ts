import cliProgress from 'cli-progress';

/** A progress indicator for one bench phase. */
export interface Progress { update(done: number): void; stop(): void }

/** Writes one progress line to stderr (stdout stays clean for the table or `--json`). */
export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** A cli-progress bar on a TTY stderr; elsewhere a line at the start and one per tenth done (logs of long runs show they move). */
export function progress(label: string, total: number, unit: string): Progress {
  if (!process.stderr.isTTY) {
    log(`${label}: ${total} ${unit}…`);
    let tenths = 0;
    return {
      update(done) {
        const now = Math.floor((Math.min(done, total) * 10) / Math.max(1, total));
        if (now > tenths && now < 10) { tenths = now; log(`${label}: ${done}/${total} ${unit}`); }
      },
      stop() {},
    };
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
