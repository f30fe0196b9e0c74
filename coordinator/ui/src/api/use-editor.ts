import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from './client.js';
import { useAction } from './use-action.js';

/** Loads an item for editing (or starts from `blank`), and saves (POST/PUT) or deletes it. */
export function useEditor<B extends object>(collection: string, id: number | undefined, blank: B, toBody: (stored: any) => B) {
  const [value, setValue] = useState<B | undefined>(id === undefined ? blank : undefined);
  const [loadError, setLoadError] = useState<ApiError>();
  useEffect(() => {
    if (id === undefined) return;
    api<unknown>('GET', `${collection}/${id}`).then((stored) => setValue(toBody(stored)), setLoadError);
  }, [collection, id]);
  const save = useAction(() => (id === undefined
    ? api<{ id: number }>('POST', collection, value)
    : api<{ id: number }>('PUT', `${collection}/${id}`, value)));
  const remove = useAction(async () => { await api<void>('DELETE', `${collection}/${id}`); return true; });
  const patch = (p: Partial<B>) => setValue((v) => ({ ...v!, ...p }));
  return { value, patch, loadError, save, remove };
}
