import { useState } from 'preact/hooks';
import type { ApiError } from './client.js';

/** A write the user triggers: runs `fn`, tracking busy state and the last error (shown by the form). */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(undefined);
    try { return await fn(...args); } catch (e) { setError(e as ApiError); return undefined; } finally { setBusy(false); }
  };
  return { run, busy, error };
}
