import { useMemo, useState } from 'preact/hooks';
import { DataTable, type Column, type SortState } from './data-table.js';

/** A DataTable over rows already in memory (inventory lists, histories): sorting and paging done here. */
export function LocalTable<T>(p: { label: string; rows: T[]; columns: Column<T>[]; rowKey(row: T, index: number): string | number; perPage?: number; defaultSort?: SortState }) {
  const perPage = p.perPage ?? 25;
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState<SortState | undefined>(p.defaultSort);
  const sorted = useMemo(() => {
    const indexed = p.rows.map((row, i) => ({ row, i }));
    if (!sort) return indexed;
    const dir = sort.order === 'asc' ? 1 : -1;
    const get = (r: T) => (r as Record<string, unknown>)[sort.key];
    return indexed.sort((a, b) => {
      const x = get(a.row); const y = get(b.row);
      return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''))) * dir;
    });
  }, [p.rows, sort]);
  const keyOf = new Map(sorted.map(({ row, i }) => [row, p.rowKey(row, i)]));
  const visible = sorted.slice((page - 1) * perPage, page * perPage).map((x) => x.row);
  const onSort = (key: string) => { setSort((s) => ({ key, order: s?.key === key && s.order === 'asc' ? 'desc' : 'asc' })); setPage(1); };
  return (
    <DataTable label={p.label} columns={p.columns} rows={visible} rowKey={(r) => keyOf.get(r)!}
      page={page} perPage={perPage} total={p.rows.length} onPage={setPage} sort={sort ?? { key: '', order: 'asc' }} onSort={onSort} />
  );
}
