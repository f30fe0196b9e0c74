/**
 * One hub-and-spoke receiver (run by `bench:mesh` where a node runs, inside its namespace if any):
 * prints `ready`, waits for a line on stdin, downloads URL over HTTPS pinned to CA_FILE while hashing,
 * then prints `{"bytes","digest","ms"}`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { get } from 'node:https';

const [url, caFile] = process.argv.slice(2);
if (!url || !caFile) {
  process.stderr.write('usage: hub-client URL CA_FILE\n');
  process.exit(2);
}
const ca = readFileSync(caFile, 'utf8');
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  const started = performance.now();
  const hash = createHash('sha256');
  let bytes = 0;
  get(url, { ca }, (res) => {
    if (res.statusCode !== 200) { process.stderr.write(`HTTP ${res.statusCode}\n`); process.exit(1); }
    res.on('data', (d: Buffer) => { bytes += d.length; hash.update(d); });
    res.on('error', (err) => { process.stderr.write(`${err.message}\n`); process.exit(1); });
    res.on('aborted', () => { process.stderr.write('the response was cut short\n'); process.exit(1); });
    res.on('end', () => {
      // Exit only once the line is out: a pipe write may still be pending.
      process.stdout.write(`${JSON.stringify({ bytes, digest: `sha256:${hash.digest('hex')}`, ms: performance.now() - started })}\n`, () => process.exit(0));
    });
  }).on('error', (err) => { process.stderr.write(`${err.message}\n`); process.exit(1); });
});
