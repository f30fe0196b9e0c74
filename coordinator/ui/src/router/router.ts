import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

/** Goes to an in-app path (history API), notifying every `usePath` hook. */
export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  for (const l of listeners) l();
}

addEventListener('popstate', () => { for (const l of listeners) l(); });

/** The current path and query string; re-renders on navigation. */
export function usePath(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    return () => { listeners.delete(l); };
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}
