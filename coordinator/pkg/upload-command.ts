import { readFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { ValidationError } from '../../shared/errors.js';
import { runAction, untilSignal } from '../../shared/cli/run-command.js';
import { uploadPackage } from './upload.js';

/** `homing pkg upload FILE --coordinator URL --ca-file F` (admin token from `HOMING_TOKEN`), with a progress bar on a TTY. */
export function uploadCommand(): Command {
  return new Command('upload')
    .description('upload a package file to the coordinator (admin token from HOMING_TOKEN)')
    .argument('<file>', 'package file from "homing pkg build"')
    .requiredOption('--coordinator <url>', 'coordinator URL')
    .requiredOption('--ca-file <file>', 'the coordinator CA to trust (PEM)')
    .action((file: string, o: { coordinator: string; caFile: string }) => runAction(async () => {
      const token = process.env.HOMING_TOKEN;
      if (!token) throw new ValidationError('an admin token is required in HOMING_TOKEN (POST /api/v1/auth/token)');
      if (!/^https:\/\//.test(o.coordinator)) throw new ValidationError(`coordinator URL must start with https:// (got "${o.coordinator}")`);
      const caPem = await readFile(o.caFile, 'utf8').catch(() => { throw new ValidationError(`cannot read --ca-file ${o.caFile}`); });
      const stop = new AbortController();
      void untilSignal().then(() => stop.abort());
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar({ stream: process.stderr, format: 'upload {bar} {percentage}% {value}/{total} bytes', hideCursor: true }, cliProgress.Presets.shades_classic)
        : undefined;
      let started = false;
      const onProgress = (sent: number, total: number) => {
        if (!bar) return;
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(sent);
      };
      try {
        const p = await uploadPackage({ file, coordinatorUrl: o.coordinator, caPem, token, signal: stop.signal, onProgress });
        bar?.stop();
        started = false;
        process.stdout.write(`Uploaded ${p.name} ${p.version} as package ${p.id} (revision ${p.revision}, ${p.digest}): ${p.size} bytes in ${p.chunkCount} chunks, ${p.bytesNew} new.\n`);
      } finally {
        if (started) bar?.stop();
      }
    }));
}
