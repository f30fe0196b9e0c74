import { useState } from 'preact/hooks';
import { withQuery, type ListAnswer } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { DataTable, type Column, type SortState } from './data-table.js';
import { ErrorBanner } from './error-banner.js';

/** A DataTable over an API list route: paging (and sorting, when `defaultSort` is given) done by the server. */
export function RemoteTable<T>(p: {
  label: string; path: string; columns: Column<T>[]; rowKey(row: T): string | number;
  query?: Record<string, string | undefined>; defaultSort?: SortState; perPage?: number;
}) {
  const perPage = p.perPage ?? 50;
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState(p.defaultSort);
  const [lastQuery, setLastQuery] = useState(JSON.stringify(p.query ?? {}));
  // A new search starts again at page 1.
  const queryKey = JSON.stringify(p.query ?? {});
  if (queryKey !== lastQuery) { setLastQuery(queryKey); setPage(1); }
  const path = withQuery(p.path, { ...p.query, page, perPage, sort: sort?.key, order: sort?.order });
  const { data, error, loading } = useApi<ListAnswer<T>>(path);
  const onSort = (key: string) => {
    setSort((s) => ({ key, order: s?.key === key && s.order === 'asc' ? 'desc' : 'asc' }));
    setPage(1);
  };
  return (
    <>
      {error && <ErrorBanner error={error} />}
      <DataTable label={p.label} columns={p.columns} rows={data?.items ?? []} rowKey={p.rowKey} loading={loading}
        page={page} perPage={perPage} total={data?.total ?? 0} onPage={setPage}
        {...(sort ? { sort, onSort } : {})} />
    </>
  );
}
