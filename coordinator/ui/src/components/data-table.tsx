import type { ComponentChildren } from 'preact';
import { Pager } from './pager.js';

/** One column: which field it shows, its header, whether it sorts, and how a cell renders (text by default). */
export interface Column<T> {
  key: string;
  label: string;
  sortable?: boolean;
  render?(row: T): ComponentChildren;
}

/** Sort state of a table. */
export interface SortState { key: string; order: 'asc' | 'desc' }

/** Props of the one table of the UI; paging and sorting are controlled by the caller (server or memory). */
export interface DataTableProps<T> {
  label: string;
  columns: Column<T>[];
  rows: T[];
  rowKey(row: T): string | number;
  page: number;
  perPage: number;
  total: number;
  onPage(page: number): void;
  sort?: SortState;
  onSort?(key: string): void;
  loading?: boolean;
}

/** A labelled table with sortable headers (`aria-sort`) and a pager. Cells render as text unless a column renders. */
export function DataTable<T>(p: DataTableProps<T>) {
  return (
    <div class="table-wrap">
      <table aria-label={p.label} aria-busy={p.loading ? 'true' : 'false'}>
        <thead>
          <tr>
            {p.columns.map((c) => {
              const active = p.sort?.key === c.key;
              const ariaSort = active ? (p.sort!.order === 'asc' ? 'ascending' : 'descending') : undefined;
              return (
                <th scope="col" key={c.key} aria-sort={ariaSort}>
                  {c.sortable && p.onSort
                    ? <button type="button" class="sort" onClick={() => p.onSort!(c.key)}>{c.label}<span aria-hidden="true">{active ? (p.sort!.order === 'asc' ? ' ▲' : ' ▼') : ''}</span></button>
                    : c.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {p.rows.length === 0
            ? <tr><td colSpan={p.columns.length} class="empty">{p.loading ? 'Loading…' : 'Nothing here yet.'}</td></tr>
            : p.rows.map((row) => (
              <tr key={p.rowKey(row)}>
                {p.columns.map((c) => <td key={c.key} data-label={c.label}>{c.render ? c.render(row) : String((row as Record<string, unknown>)[c.key] ?? '')}</td>)}
              </tr>
            ))}
        </tbody>
      </table>
      <Pager page={p.page} perPage={p.perPage} total={p.total} onPage={p.onPage} label={p.label} />
    </div>
  );
}
