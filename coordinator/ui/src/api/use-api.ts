import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './client.js';

/** State of one GET: its data, the error if it failed, and a way to fetch again. */
export interface ApiState<T> { data: T | undefined; error: ApiError | undefined; loading: boolean; reload(): void }

/** Fetches `path` (GET) whenever it changes; `null` fetches nothing. */
export function useApi<T>(path: string | null): ApiState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== null);
  const [serial, setSerial] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoading(true);
    api<T>('GET', path).then(
      (d) => { if (live) { setData(d); setError(undefined); setLoading(false); } },
      (e: ApiError) => { if (live) { setError(e); setLoading(false); } },
    );
    return () => { live = false; };
  }, [path, serial]);
  const reload = useCallback(() => setSerial((n) => n + 1), []);
  return { data, error, loading, reload };
}
