/** A server the bench loads: where it listens and whose processes' CPU counts as its own. */
export interface ServerUnderTest {
  /** Short name for tables, e.g. `coordinator`, `nginx`, `node-https`. */
  label: string;
  /** Base URL, e.g. `https://127.0.0.1:34567`. */
  url: string;
  /** Pids whose CPU time is the server's (nginx: master and workers). */
  pids(): number[];
  stop(): Promise<void>;
}
