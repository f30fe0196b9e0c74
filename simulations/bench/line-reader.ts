import type { Readable } from 'node:stream';

/** Calls `onLine` for each line a stream emits (a child's stdout or stderr). */
export function onLines(stream: Readable | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  });
  stream.on('end', () => { if (buffered) onLine(buffered); });
}
