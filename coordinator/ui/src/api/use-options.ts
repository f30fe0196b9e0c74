import type { ListAnswer } from './client.js';
import { useApi } from './use-api.js';

/** Id/name options of a small collection (groups, scripts) for pickers: the first 500. */
export function useOptions<T extends { id: number; name: string }>(path: string): { options: { value: number; label: string }[]; items: T[] } {
  const { data } = useApi<ListAnswer<T>>(`${path}?perPage=500`);
  const items = data?.items ?? [];
  return { items, options: items.map((x) => ({ value: x.id, label: x.name })) };
}
