import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Runs the simulator's full garbage collections at moments when no request is being timed. Each visit
 * leaves a TLS context and socket whose native memory V8 frees in its full collections; at 6,000 clients
 * ×20 those came every ~10 s and took ~30 ms, and the answers in flight meanwhile were measured ~30 ms
 * slower: the simulator's pause, reported as coordinator latency. Collecting right after the last visit
 * in progress ends (a visit due meanwhile starts a little late, which the run counts) keeps the pause
 * off every request's clock; when visits never all end (a herd), V8 collects on its own as before.
 */
export class IdleCollector {
  private readonly gc: () => void;
  private visits = 0;

  /** Collects after `everyVisits` visits, at the first moment none is in progress. */
  constructor(private readonly everyVisits: number) {
    setFlagsFromString('--expose-gc');
    this.gc = runInNewContext('gc') as () => void;
  }

  /** A visit ended; `idle` when no other visit is in progress. */
  visitEnded(idle: boolean): void {
    if (++this.visits < this.everyVisits || !idle) return;
    this.visits = 0;
    this.gc();
  }
}
